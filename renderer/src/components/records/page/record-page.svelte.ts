// A record page's state: the record, its custom fields, saving one field at a time, conflicts, live updates.
import { api, toApiError, touches, type ApiError } from '../../../lib/api';
import type { ConflictResolution, ConflictRow } from '../ConflictResolver.svelte';
import { directory } from '../form/directory.svelte';
import {
  describeValue,
  errorsFromIssues,
  fieldPatch,
  fieldSpecs,
  fromDraft,
  mergePatches,
  readValue,
  sameValue,
  type FieldSpec,
} from '../form/field-specs';
import { call, ENTITY_PROCEDURES, type Company, type Entity, type FieldDefinition, type Person } from '../types';

type AnyRecord = Person | Company;

export type SaveResult =
  | { status: 'saved' | 'unchanged' | 'conflict' }
  | { status: 'invalid'; errors: Record<string, string> }
  | { status: 'failed'; error: ApiError };

/** A refused save: the version the edit started from, the one saved since, and what this user wanted. */
export interface Conflict {
  base: AnyRecord;
  theirs: AnyRecord;
  /** Field key → the value typed, in the API's shape. */
  mine: Record<string, unknown>;
}

export class RecordPage {
  readonly entity: Entity;
  readonly id: string;
  record = $state<AnyRecord | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  custom = $state<FieldDefinition[]>([]);
  /** How many fields are open for editing in place. */
  editors = $state(0);
  /** A newer version arrived while a field was being edited. */
  changedElsewhere = $state(false);
  conflict = $state<Conflict | null>(null);
  resolving = $state(false);
  #resolved: ((result: SaveResult) => void) | null = null;

  readonly specs: FieldSpec[];

  constructor(entity: Entity, id: string) {
    this.entity = entity;
    this.id = id;
    this.specs = $derived(fieldSpecs(this.entity, this.custom));
  }

  get area(): 'people' | 'companies' {
    return ENTITY_PROCEDURES[this.entity].area;
  }

  start(): () => void {
    directory.start();
    void this.load();
    void this.loadFields();
    return api.onChange((event) => {
      if (touches(event, 'field')) void this.loadFields();
      if (event === null) {
        this.#newerArrived();
        return;
      }
      const change = event.changes.find((c) => c.entity === this.entity && c.id === this.id);
      // Our own saves come back as events too; their version is one we already hold.
      if (change && (change.version === undefined || change.version > (this.record?.version ?? 0))) {
        this.#newerArrived();
      } else if (change && ['delete', 'restore'].includes(change.action)) {
        void this.load();
      }
    });
  }

  get editing(): boolean {
    return this.editors > 0;
  }

  #newerArrived(): void {
    if (this.editing) this.changedElsewhere = true;
    else void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.record = await call(`${this.area}.get`, { id: this.id });
      this.error = null;
      this.changedElsewhere = false;
    } catch (error) {
      this.error = toApiError(error);
    } finally {
      this.loading = false;
    }
  }

  async loadFields(): Promise<void> {
    try {
      this.custom = (await call('fields.list', { entity: this.entity })).items;
    } catch {
      // The standard fields still work; custom ones appear when the list can be read again.
    }
  }

  startEditing(): void {
    this.editors += 1;
  }

  /** Called when an inline editor closes: catch up with anything that changed meanwhile. */
  stopEditing(): void {
    this.editors = Math.max(0, this.editors - 1);
    if (this.editors === 0 && this.changedElsewhere) void this.load();
  }

  /** Saves one field's draft (just that field), as of the version on screen. */
  async save(spec: FieldSpec, draft: unknown): Promise<SaveResult> {
    const record = this.record;
    if (!record) return { status: 'unchanged' };
    const value = fromDraft(spec, draft);
    if (value === undefined) {
      return {
        status: 'invalid',
        errors: { [spec.key]: spec.kind === 'money' ? 'Enter an amount, like 1250.50' : 'Enter a number' },
      };
    }
    if (sameValue(comparable(spec, value), comparable(spec, readValue(record, spec.key)))) {
      return { status: 'unchanged' };
    }
    return this.#update(record, { [spec.key]: value });
  }

  async #update(base: AnyRecord, mine: Record<string, unknown>, version = base.version): Promise<SaveResult> {
    const patch = mergePatches(Object.entries(mine).map(([key, value]) => fieldPatch(this.#spec(key), value)));
    try {
      this.record = await call(`${this.area}.update`, { id: this.id, version, patch });
      this.changedElsewhere = false;
      return { status: 'saved' };
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'VALIDATION') {
        const errors = errorsFromIssues(this.specs, error.issues, 'patch.');
        return { status: 'invalid', errors: Object.keys(errors).length ? errors : { '': error.message } };
      }
      const current = error.conflictCurrent<AnyRecord>();
      if (error.code === 'CONFLICT' && current) {
        this.conflict = { base, theirs: current, mine };
        this.resolving = false;
        // The editor waits for the person to choose in the resolver.
        return new Promise((resolve) => (this.#resolved = resolve));
      }
      return { status: 'failed', error };
    }
  }

  #spec(key: string): FieldSpec {
    return this.specs.find((spec) => spec.key === key) ?? { key, label: key, kind: 'text', section: '' };
  }

  /** The resolver's rows: every field either side changed, with both values in words. */
  get conflictRows(): ConflictRow[] {
    const conflict = this.conflict;
    if (!conflict) return [];
    const context = { userName: (id: string) => directory.userName(id) };
    return this.specs.flatMap((spec) => {
      const was = readValue(conflict.base, spec.key);
      const theirs = readValue(conflict.theirs, spec.key);
      const mine = spec.key in conflict.mine ? conflict.mine[spec.key] : was;
      const mineChanged = !sameValue(comparable(spec, mine), comparable(spec, was));
      const theirsChanged = !sameValue(comparable(spec, theirs), comparable(spec, was));
      if (!mineChanged && !theirsChanged) return [];
      if (mineChanged && sameValue(comparable(spec, mine), comparable(spec, theirs))) return [];
      return [
        {
          key: spec.key,
          label: spec.label,
          mine: describeValue(spec, mine, context),
          theirs: describeValue(spec, theirs, context),
          was: describeValue(spec, was, context),
          mineChanged,
          theirsChanged,
        },
      ];
    });
  }

  /** Applies the person's choice: saves the picked values of theirs on top of the current version, or adopts it. */
  async resolve(resolution: ConflictResolution): Promise<void> {
    const conflict = this.conflict;
    if (!conflict) return;
    const mine: Record<string, unknown> = {};
    for (const [key, pick] of Object.entries(resolution.picks)) {
      if (pick !== 'mine') continue;
      const spec = this.#spec(key);
      const value = key in conflict.mine ? conflict.mine[key] : readValue(conflict.base, key);
      if (!sameValue(comparable(spec, value), comparable(spec, readValue(conflict.theirs, key)))) mine[key] = value;
    }
    const done = this.#resolved;
    this.#resolved = null;
    if (Object.keys(mine).length === 0) {
      this.record = conflict.theirs;
      this.conflict = null;
      this.changedElsewhere = false;
      done?.({ status: 'saved' });
      return;
    }
    this.resolving = true;
    this.conflict = null;
    const result = await this.#update(conflict.theirs, mine, conflict.theirs.version);
    this.resolving = false;
    done?.(result);
  }

  /** Keep editing: nothing is saved; the next save meets the same conflict. */
  cancelConflict(): void {
    this.conflict = null;
    this.#resolved?.({ status: 'conflict' });
    this.#resolved = null;
  }

  async remove(): Promise<void> {
    await call(`${this.area}.delete`, { id: this.id });
    await this.load();
  }

  async restore(): Promise<void> {
    await call(`${this.area}.restore`, { id: this.id });
    await this.load();
  }
}

/** Company links compare by company and role: the name is the core's to fill in. */
function comparable(spec: FieldSpec, value: unknown): unknown {
  if (spec.kind === 'companies' && Array.isArray(value)) {
    return (value as Array<{ companyId: string; role: string | null }>).map((c) => ({
      companyId: c.companyId,
      role: c.role ?? null,
    }));
  }
  if (spec.kind === 'emails' || spec.kind === 'phones') {
    return (value as Array<Record<string, unknown>> | null)?.map((entry) => ({ ...entry, label: entry.label ?? null }));
  }
  if (spec.kind === 'address' && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? null]));
  }
  if (value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return value;
}
