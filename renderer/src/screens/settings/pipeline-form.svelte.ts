// A pipeline being created or edited: its name and stage list as a draft over the version it was read from.
import type { Pipeline, StageKind } from '../../../../src/deals/types.js';
import { api, toApiError, type ApiError } from '../../lib/api';

export interface StageDraft {
  /** Stable while editing, so rows keep their focus and drag state; the stage's id once it exists. */
  key: string;
  id: string | undefined;
  name: string;
  probability: string;
  kind: StageKind;
  /** Empty: never stale. */
  staleDays: string;
}

export type PipelineSaveOutcome = 'saved' | 'unchanged' | 'invalid' | 'conflict' | 'failed';

export const KIND_OPTIONS: { value: StageKind; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
];

/** The stages a new workspace's "Sales" pipeline starts with; a new pipeline starts from them too. */
const DEFAULT_STAGES: [string, number, StageKind][] = [
  ['Lead', 10, 'open'],
  ['Qualified', 25, 'open'],
  ['Proposal', 50, 'open'],
  ['Negotiation', 75, 'open'],
  ['Won', 100, 'won'],
  ['Lost', 0, 'lost'],
];

let keys = 0;
const nextKey = (): string => `stage-${++keys}`;

function draftsOf(pipeline: Pipeline | null): StageDraft[] {
  if (!pipeline) {
    return DEFAULT_STAGES.map(([name, probability, kind]) => ({
      key: nextKey(),
      id: undefined,
      name,
      probability: String(probability),
      kind,
      staleDays: kind === 'open' ? '14' : '',
    }));
  }
  return pipeline.stages.map((stage) => ({
    key: stage.id,
    id: stage.id,
    name: stage.name,
    probability: String(stage.probability),
    kind: stage.kind,
    staleDays: stage.staleDays === null ? '' : String(stage.staleDays),
  }));
}

/** What the form would send, for comparing with what is saved. */
function stagesInput(stages: StageDraft[]) {
  return stages.map((stage) => ({
    ...(stage.id ? { id: stage.id } : {}),
    name: stage.name.trim(),
    probability: Number(stage.probability),
    kind: stage.kind,
    // Only open stages go stale.
    staleDays: stage.kind !== 'open' || stage.staleDays.trim() === '' ? null : Number(stage.staleDays),
  }));
}

export class PipelineForm {
  /** The saved pipeline this draft started from; null while creating a new one. */
  base = $state<Pipeline | null>(null);
  name = $state('');
  stages = $state<StageDraft[]>([]);
  /** Problems keyed by path: `name`, `stages`, `stages.2.name`. */
  errors = $state<Record<string, string>>({});
  saving = $state(false);
  /** The pipeline as someone else saved it, when our save was refused as stale. */
  conflict = $state<Pipeline | null>(null);
  failure = $state<ApiError | null>(null);

  readonly dirty = $derived(
    this.base === null ||
      this.name.trim() !== this.base.name ||
      JSON.stringify(stagesInput(this.stages)) !== JSON.stringify(stagesInput(draftsOf(this.base))),
  );

  constructor(pipeline: Pipeline | null) {
    this.adopt(pipeline);
  }

  adopt(pipeline: Pipeline | null): void {
    this.base = pipeline;
    this.name = pipeline?.name ?? '';
    this.stages = draftsOf(pipeline);
    this.errors = {};
    this.conflict = null;
    this.failure = null;
  }

  clearError(path: string): void {
    if (this.errors[path] || this.errors.stages) {
      const { [path]: _dropped, stages: _list, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  addStage(): void {
    // New stages go before the first closed one: won and lost usually end the list.
    const closed = this.stages.findIndex((stage) => stage.kind !== 'open');
    const at = closed === -1 ? this.stages.length : closed;
    const stage: StageDraft = {
      key: nextKey(),
      id: undefined,
      name: '',
      probability: '50',
      kind: 'open',
      staleDays: '14',
    };
    this.stages = [...this.stages.slice(0, at), stage, ...this.stages.slice(at)];
    this.#forgetStageErrors();
  }

  removeStage(key: string): void {
    this.stages = this.stages.filter((stage) => stage.key !== key);
    this.#forgetStageErrors();
  }

  moveStage(key: string, to: number): void {
    const from = this.stages.findIndex((stage) => stage.key === key);
    if (from === -1 || to < 0 || to >= this.stages.length || to === from) return;
    const next = [...this.stages];
    const [stage] = next.splice(from, 1);
    next.splice(to, 0, stage!);
    this.stages = next;
    this.#forgetStageErrors();
  }

  /** Checks what can be checked here; the core checks again (and knows which stages hold deals). */
  validate(): boolean {
    const errors: Record<string, string> = {};
    if (this.name.trim() === '') errors.name = 'A pipeline needs a name.';
    const names: string[] = [];
    this.stages.forEach((stage, index) => {
      const name = stage.name.trim().toLowerCase();
      if (name === '') errors[`stages.${index}.name`] = 'A stage needs a name.';
      else if (names.includes(name)) errors[`stages.${index}.name`] = 'Another stage has this name.';
      names.push(name);
      const probability = Number(stage.probability);
      if (stage.probability.trim() === '' || !Number.isInteger(probability) || probability < 0 || probability > 100) {
        errors[`stages.${index}.probability`] = 'A whole number from 0 to 100.';
      }
      const stale = Number(stage.staleDays);
      if (stage.kind === 'open' && stage.staleDays.trim() !== '' && (!Number.isInteger(stale) || stale < 1)) {
        errors[`stages.${index}.staleDays`] = 'Whole days, 1 or more; empty for never.';
      }
    });
    const count = (kind: StageKind) => this.stages.filter((stage) => stage.kind === kind).length;
    if (count('open') === 0) errors.stages = 'A pipeline needs at least one open stage.';
    else if (count('won') !== 1 || count('lost') !== 1) {
      errors.stages = 'A pipeline needs exactly one won stage and one lost stage.';
    }
    this.errors = errors;
    return Object.keys(errors).length === 0;
  }

  save(): Promise<PipelineSaveOutcome> {
    return this.#submit(this.base?.version ?? 0);
  }

  /** Saves this draft on top of the version someone else saved. */
  overwrite(): Promise<PipelineSaveOutcome> {
    const theirs = this.conflict;
    if (!theirs) return Promise.resolve('failed');
    const mine = this.base;
    const nameTouched = mine === null || this.name.trim() !== mine.name;
    const stagesTouched =
      mine === null || JSON.stringify(stagesInput(this.stages)) !== JSON.stringify(stagesInput(draftsOf(mine)));
    this.conflict = null;
    this.base = theirs;
    // What this draft didn't touch takes their value, as in the workspace settings' conflict.
    if (!nameTouched) this.name = theirs.name;
    if (!stagesTouched) {
      this.stages = draftsOf(theirs);
    } else {
      // Stages they removed can't be updated by id any more: ours come back as new stages.
      const alive = theirs.stages.map((stage) => stage.id);
      this.stages = this.stages.map((stage) =>
        stage.id && !alive.includes(stage.id) ? { ...stage, id: undefined } : stage,
      );
    }
    return this.#submit(theirs.version);
  }

  takeTheirs(): void {
    if (this.conflict) this.adopt(this.conflict);
  }

  #forgetStageErrors(): void {
    // Paths name positions, which just changed.
    this.errors = Object.fromEntries(Object.entries(this.errors).filter(([path]) => !path.startsWith('stages')));
  }

  async #submit(version: number): Promise<PipelineSaveOutcome> {
    if (!this.dirty) return 'unchanged';
    if (!this.validate()) return 'invalid';
    this.saving = true;
    this.failure = null;
    try {
      const stages = stagesInput(this.stages);
      const saved = this.base
        ? await api.call('pipelines.update', {
            id: this.base.id,
            version,
            patch: { name: this.name.trim(), stages },
          })
        : await api.call('pipelines.create', { name: this.name.trim(), stages });
      this.adopt(saved as Pipeline);
      return 'saved';
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'VALIDATION') {
        const errors = error.fieldErrors(this.base ? 'patch.' : '');
        // A problem with the list as a whole (e.g. "a stage with deals can't be removed") has no stage index.
        if (Object.keys(errors).length === 0) errors.stages = error.message;
        if (errors[''] !== undefined) {
          errors.stages ??= errors[''];
          delete errors[''];
        }
        this.errors = errors;
        return 'invalid';
      }
      if (error.code === 'CONFLICT') {
        const current = error.conflictCurrent<Pipeline>();
        if (current) {
          this.conflict = current;
          return 'conflict';
        }
      }
      this.failure = error;
      return 'failed';
    } finally {
      this.saving = false;
    }
  }
}
