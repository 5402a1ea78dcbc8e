// A deal's page state: the deal, its pipeline and stage history, saving one field at a time with conflicts shown
// field by field, moves between stages, and live updates from change events.
import { api, toApiError, touches, type ApiError } from '../../lib/api';
import type { ConflictResolution, ConflictRow } from '../records/ConflictResolver.svelte';
import { directory } from '../records/form/directory.svelte';
import type { FieldSpec } from '../records/form/field-specs';
import type { FieldDefinition } from '../records/types';
import { comparableDealValue, dealPatch, dealSpecs, dealValue, describeDealValue } from './deal-fields';
import type { Deal, Pipeline, StageHistoryEntry } from './deals';

export type SaveResult =
  | { status: 'saved' | 'unchanged' | 'conflict' }
  | { status: 'invalid'; error: string }
  | { status: 'failed'; error: ApiError };

interface Conflict {
  base: Deal;
  theirs: Deal;
  /** Field key → the value typed. */
  mine: Record<string, unknown>;
}

export class DealPage {
  readonly id: string;
  deal = $state<Deal | null>(null);
  pipeline = $state<Pipeline | null>(null);
  history = $state<StageHistoryEntry[]>([]);
  custom = $state<FieldDefinition[]>([]);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  moving = $state(false);
  editors = $state(0);
  changedElsewhere = $state(false);
  conflict = $state<Conflict | null>(null);
  resolving = $state(false);
  #resolved: ((result: SaveResult) => void) | null = null;

  readonly specs: FieldSpec[];

  constructor(id: string) {
    this.id = id;
    this.specs = $derived(dealSpecs(this.custom));
  }

  start(): () => void {
    directory.start();
    void this.load();
    void this.loadFields();
    return api.onChange((event) => {
      if (touches(event, 'field')) void this.loadFields();
      if (touches(event, 'pipeline')) void this.loadPipeline();
      if (event === null) {
        this.#newerArrived();
        return;
      }
      const change = event.changes.find((c) => c.entity === 'deal' && c.id === this.id);
      if (change && (change.version === undefined || change.version > (this.deal?.version ?? 0))) {
        this.#newerArrived();
      } else if (change && ['delete', 'restore'].includes(change.action)) {
        void this.load();
      }
    });
  }

  #newerArrived(): void {
    if (this.editors > 0) this.changedElsewhere = true;
    else void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const deal = (await api.call('deals.get', { id: this.id })) as Deal;
      this.deal = deal;
      this.error = null;
      this.changedElsewhere = false;
      if (this.pipeline?.id !== deal.pipelineId) await this.loadPipeline();
      await this.loadHistory();
    } catch (error) {
      this.error = toApiError(error);
    } finally {
      this.loading = false;
    }
  }

  async loadPipeline(): Promise<void> {
    const pipelineId = this.deal?.pipelineId;
    if (!pipelineId) return;
    try {
      const { items } = (await api.call('pipelines.list', { includeArchived: true })) as { items: Pipeline[] };
      this.pipeline = items.find((p) => p.id === pipelineId) ?? null;
    } catch {
      // The stepper waits for the next try; the rest of the page works without it.
    }
  }

  async loadHistory(): Promise<void> {
    try {
      this.history = ((await api.call('deals.history', { id: this.id })) as { items: StageHistoryEntry[] }).items;
    } catch {
      // Shown as empty; the next change event tries again.
    }
  }

  async loadFields(): Promise<void> {
    try {
      // Every entity's fields: the deal's are picked out by dealSpecs.
      this.custom = (await api.call('fields.list', {})).items;
    } catch {
      // The standard fields still work.
    }
  }

  startEditing(): void {
    this.editors += 1;
  }

  stopEditing(): void {
    this.editors = Math.max(0, this.editors - 1);
    if (this.editors === 0 && this.changedElsewhere) void this.load();
  }

  /** Saves one field's value (in the input's shape) as of the version on screen. */
  async save(spec: FieldSpec, value: unknown): Promise<SaveResult> {
    const deal = this.deal;
    if (!deal) return { status: 'unchanged' };
    if (comparableDealValue(spec.key, value) === comparableDealValue(spec.key, dealValue(deal, spec.key))) {
      return { status: 'unchanged' };
    }
    return this.#update(deal, { [spec.key]: value });
  }

  async #update(base: Deal, mine: Record<string, unknown>, version = base.version): Promise<SaveResult> {
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mine)) {
      for (const [field, part] of Object.entries(dealPatch(key, value))) {
        patch[field] =
          field === 'custom' ? { ...(patch.custom as object | undefined), ...(part as object) } : (part as unknown);
      }
    }
    try {
      this.deal = (await api.call('deals.update', { id: this.id, version, patch })) as Deal;
      this.changedElsewhere = false;
      return { status: 'saved' };
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'VALIDATION') {
        return { status: 'invalid', error: error.issues[0]?.message ?? error.message };
      }
      const current = error.conflictCurrent<Deal>();
      if (error.code === 'CONFLICT' && current) {
        this.conflict = { base, theirs: current, mine };
        this.resolving = false;
        return new Promise((resolve) => (this.#resolved = resolve));
      }
      return { status: 'failed', error };
    }
  }

  get conflictRows(): ConflictRow[] {
    const conflict = this.conflict;
    if (!conflict) return [];
    const context = { userName: (id: string) => directory.userName(id) };
    return this.specs.flatMap((spec) => {
      const was = dealValue(conflict.base, spec.key);
      const theirs = dealValue(conflict.theirs, spec.key);
      const mine = spec.key in conflict.mine ? conflict.mine[spec.key] : was;
      const same = (a: unknown, b: unknown) => comparableDealValue(spec.key, a) === comparableDealValue(spec.key, b);
      const mineChanged = !same(mine, was);
      const theirsChanged = !same(theirs, was);
      if (!mineChanged && !theirsChanged) return [];
      if (mineChanged && same(mine, theirs)) return [];
      return [
        {
          key: spec.key,
          label: spec.label,
          mine: describeDealValue(spec, mine, conflict.base, context),
          theirs: describeDealValue(spec, theirs, conflict.theirs, context),
          was: describeDealValue(spec, was, conflict.base, context),
          mineChanged,
          theirsChanged,
        },
      ];
    });
  }

  async resolve(resolution: ConflictResolution): Promise<void> {
    const conflict = this.conflict;
    if (!conflict) return;
    const mine: Record<string, unknown> = {};
    for (const [key, pick] of Object.entries(resolution.picks)) {
      if (pick !== 'mine') continue;
      const value = key in conflict.mine ? conflict.mine[key] : dealValue(conflict.base, key);
      if (comparableDealValue(key, value) !== comparableDealValue(key, dealValue(conflict.theirs, key))) {
        mine[key] = value;
      }
    }
    const done = this.#resolved;
    this.#resolved = null;
    if (Object.keys(mine).length === 0) {
      this.deal = conflict.theirs;
      this.conflict = null;
      done?.({ status: 'saved' });
      return;
    }
    this.resolving = true;
    this.conflict = null;
    const result = await this.#update(conflict.theirs, mine, conflict.theirs.version);
    this.resolving = false;
    done?.(result);
  }

  cancelConflict(): void {
    this.conflict = null;
    this.#resolved?.({ status: 'conflict' });
    this.#resolved = null;
  }

  /** Moves the deal to a stage (closing or reopening it); a CONFLICT reloads and is reported to the caller. */
  async move(stageId: string, lostReason?: string): Promise<ApiError | null> {
    const deal = this.deal;
    if (!deal) return null;
    this.moving = true;
    try {
      this.deal = (await api.call('deals.move', {
        id: deal.id,
        version: deal.version,
        stageId,
        ...(lostReason ? { lostReason } : {}),
      })) as Deal;
      await this.loadHistory();
      return null;
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'CONFLICT') await this.load();
      return error;
    } finally {
      this.moving = false;
    }
  }

  async remove(): Promise<void> {
    await api.call('deals.delete', { id: this.id });
    await this.load();
  }

  async restore(): Promise<void> {
    await api.call('deals.restore', { id: this.id });
    await this.load();
  }
}
