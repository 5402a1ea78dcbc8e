// What every editable record page shares (people, companies, deals): loading the record and its custom fields,
// saving one field at a time as of the version on screen, conflicts the person resolves field by field, live updates
// from change events, and trash. Each page says how its record is fetched, read, compared, described and patched.
import { api, toApiError, touches, type ApiError, type ChangeEvent } from '../../../lib/api';
import type { ConflictResolution, ConflictRow } from '../ConflictResolver.svelte';
import { directory } from '../form/directory.svelte';
import type { DisplayContext, FieldSpec } from '../form/field-specs';
import type { FieldDefinition } from '../types';

/** What a save came to; `Invalid` is what a refused value carries back to its editor. */
export type SaveResult<Invalid extends object> =
  | { status: 'saved' | 'unchanged' | 'conflict' }
  | ({ status: 'invalid' } & Invalid)
  | { status: 'failed'; error: ApiError };

/** A refused save: the version the edit started from, the one saved since, and what this user wanted. */
export interface Conflict<R> {
  base: R;
  theirs: R;
  /** Field key → the value typed, in the shape `valueOf` reads. */
  mine: Record<string, unknown>;
}

export abstract class EditablePage<R extends { version: number }, Invalid extends object, E extends string = string> {
  /** The entity change events name this record by. */
  readonly entity: E;
  readonly id: string;
  record = $state<R | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  custom = $state<FieldDefinition[]>([]);
  /** How many fields are open for editing in place. */
  editors = $state(0);
  /** A newer version arrived while a field was being edited. */
  changedElsewhere = $state(false);
  conflict = $state<Conflict<R> | null>(null);
  resolving = $state(false);
  #resolved: ((result: SaveResult<Invalid>) => void) | null = null;

  readonly specs: FieldSpec[];

  constructor(entity: E, id: string) {
    this.entity = entity;
    this.id = id;
    this.specs = $derived(this.buildSpecs(this.custom));
  }

  /** The record as it is now. */
  protected abstract fetch(): Promise<R>;
  /** Saves a patch as of a version; resolves to the record saved. */
  protected abstract send(version: number, patch: Record<string, unknown>): Promise<R>;
  protected abstract fetchFields(): Promise<FieldDefinition[]>;
  protected abstract buildSpecs(custom: FieldDefinition[]): FieldSpec[];
  /** A field's value, in the shape its editor saves. */
  protected abstract valueOf(record: R, key: string): unknown;
  protected abstract same(spec: FieldSpec, a: unknown, b: unknown): boolean;
  /** A value in words for the conflict dialog; `record` is the version it belongs to. */
  protected abstract describe(spec: FieldSpec, value: unknown, record: R, context: DisplayContext): string;
  /** The patch that sets these fields (field key → value). */
  protected abstract patchFor(mine: Record<string, unknown>): Record<string, unknown>;
  /** What a VALIDATION error tells the editor. */
  protected abstract invalid(error: ApiError): Invalid;
  protected abstract trash(action: 'delete' | 'restore'): Promise<void>;

  /** The editor's value as saved, or what is wrong with it. */
  protected parse(_spec: FieldSpec, input: unknown): { value: unknown } | { invalid: Invalid } {
    return { value: input };
  }

  /** Called with each change event before the record's own changes are looked at. */
  protected changed(_event: ChangeEvent | null): void {}

  /** Called with a freshly loaded record, while still loading. */
  protected async loaded(_record: R): Promise<void> {}

  start(): () => void {
    directory.start();
    void this.load();
    void this.loadFields();
    return api.onChange((event) => {
      if (touches(event, 'field')) void this.loadFields();
      this.changed(event);
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
      const record = await this.fetch();
      this.record = record;
      this.error = null;
      this.changedElsewhere = false;
      await this.loaded(record);
    } catch (error) {
      this.error = toApiError(error);
    } finally {
      this.loading = false;
    }
  }

  async loadFields(): Promise<void> {
    try {
      this.custom = await this.fetchFields();
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

  /** Saves one field's value from its editor (just that field), as of the version on screen. */
  async save(spec: FieldSpec, input: unknown): Promise<SaveResult<Invalid>> {
    const record = this.record;
    if (!record) return { status: 'unchanged' };
    const parsed = this.parse(spec, input);
    if ('invalid' in parsed) return { status: 'invalid', ...parsed.invalid };
    if (this.same(spec, parsed.value, this.valueOf(record, spec.key))) return { status: 'unchanged' };
    return this.#update(record, { [spec.key]: parsed.value });
  }

  async #update(base: R, mine: Record<string, unknown>, version = base.version): Promise<SaveResult<Invalid>> {
    const patch = this.patchFor(mine);
    try {
      this.record = await this.send(version, patch);
      this.changedElsewhere = false;
      return { status: 'saved' };
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'VALIDATION') return { status: 'invalid', ...this.invalid(error) };
      const current = error.conflictCurrent<R>();
      if (error.code === 'CONFLICT' && current) {
        this.conflict = { base, theirs: current, mine };
        this.resolving = false;
        // The editor waits for the person to choose in the resolver.
        return new Promise((resolve) => (this.#resolved = resolve));
      }
      return { status: 'failed', error };
    }
  }

  /** The spec of a field key; an unknown key reads as plain text. */
  protected specOf(key: string): FieldSpec {
    return this.specs.find((spec) => spec.key === key) ?? { key, label: key, kind: 'text', section: '' };
  }

  /** The resolver's rows: every field either side changed, with both values in words. */
  get conflictRows(): ConflictRow[] {
    const conflict = this.conflict;
    if (!conflict) return [];
    const context = { userName: (id: string) => directory.userName(id) };
    return this.specs.flatMap((spec) => {
      const was = this.valueOf(conflict.base, spec.key);
      const theirs = this.valueOf(conflict.theirs, spec.key);
      const mine = spec.key in conflict.mine ? conflict.mine[spec.key] : was;
      const mineChanged = !this.same(spec, mine, was);
      const theirsChanged = !this.same(spec, theirs, was);
      if (!mineChanged && !theirsChanged) return [];
      if (mineChanged && this.same(spec, mine, theirs)) return [];
      return [
        {
          key: spec.key,
          label: spec.label,
          mine: this.describe(spec, mine, conflict.base, context),
          theirs: this.describe(spec, theirs, conflict.theirs, context),
          was: this.describe(spec, was, conflict.base, context),
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
      const value = key in conflict.mine ? conflict.mine[key] : this.valueOf(conflict.base, key);
      if (!this.same(this.specOf(key), value, this.valueOf(conflict.theirs, key))) mine[key] = value;
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
    await this.trash('delete');
    await this.load();
  }

  async restore(): Promise<void> {
    await this.trash('restore');
    await this.load();
  }
}
