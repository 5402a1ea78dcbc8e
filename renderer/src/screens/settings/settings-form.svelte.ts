// The workspace settings form: a draft over the version it was read from, and what happens on save.
import { toApiError, type ApiError, type WorkspaceSettings } from '../../lib/api';
import { workspace } from '../../lib/state/workspace.svelte';

export const SETTINGS_FIELDS = ['firmName', 'baseCurrency', 'phoneRegion'] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export type SettingsDraft = Pick<WorkspaceSettings, SettingsField>;

export const FIELD_LABELS: Record<SettingsField, string> = {
  firmName: 'Firm name',
  baseCurrency: 'Base currency',
  phoneRegion: 'Phone region',
};

export type SaveOutcome = 'saved' | 'unchanged' | 'invalid' | 'conflict' | 'failed';

export class SettingsForm {
  /** The version the draft started from; saving names it, so a newer one on the server means CONFLICT. */
  base = $state<WorkspaceSettings | null>(null);
  draft = $state<SettingsDraft>({ firmName: '', baseCurrency: '', phoneRegion: '' });
  errors = $state<Partial<Record<SettingsField, string>>>({});
  saving = $state(false);
  /** The settings as someone else saved them, when our save was refused as stale. */
  conflict = $state<WorkspaceSettings | null>(null);
  /** A newer version that arrived live while this form had unsaved edits. */
  newerElsewhere = $state<WorkspaceSettings | null>(null);
  failure = $state<ApiError | null>(null);

  readonly changed = $derived<SettingsField[]>(
    this.base ? SETTINGS_FIELDS.filter((field) => this.draft[field] !== this.base![field]) : [],
  );
  readonly dirty = $derived(this.changed.length > 0);

  /** Starts over from `settings`, dropping the draft. */
  adopt(settings: WorkspaceSettings): void {
    this.base = settings;
    this.draft = {
      firmName: settings.firmName,
      baseCurrency: settings.baseCurrency,
      phoneRegion: settings.phoneRegion,
    };
    this.errors = {};
    this.conflict = null;
    this.newerElsewhere = null;
    this.failure = null;
  }

  /** Called whenever the live settings change: follows them unless the user is mid-edit. */
  observe(latest: WorkspaceSettings): void {
    if (!this.base || (!this.dirty && latest.version !== this.base.version)) {
      this.adopt(latest);
    } else if (latest.version > this.base.version) {
      this.newerElsewhere = latest;
    }
  }

  discard(): void {
    const latest = this.newerElsewhere ?? this.base;
    if (latest) this.adopt(latest);
  }

  clearError(field: SettingsField): void {
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
  }

  save(): Promise<SaveOutcome> {
    if (!this.base) return Promise.resolve('failed');
    return this.#submit(this.base.version);
  }

  /** Saves this draft's changes on top of the version someone else saved. */
  overwrite(): Promise<SaveOutcome> {
    if (!this.conflict) return Promise.resolve('failed');
    const theirs = this.conflict;
    const mine = this.changed;
    // Fields the user did not touch take the other person's values; the changed ones keep the user's.
    this.base = theirs;
    this.draft = {
      ...this.draft,
      ...Object.fromEntries(SETTINGS_FIELDS.filter((f) => !mine.includes(f)).map((f) => [f, theirs[f]])),
    };
    this.conflict = null;
    return this.#submit(theirs.version, mine);
  }

  /** Drops the draft in favour of what the other person saved. */
  takeTheirs(): void {
    if (this.conflict) this.adopt(this.conflict);
  }

  async #submit(version: number, fields: SettingsField[] = this.changed): Promise<SaveOutcome> {
    if (fields.length === 0) return 'unchanged';
    const patch = Object.fromEntries(fields.map((field) => [field, this.draft[field]])) as Partial<SettingsDraft>;
    this.saving = true;
    this.failure = null;
    try {
      this.adopt(await workspace.updateSettings(version, patch));
      return 'saved';
    } catch (caught) {
      const error = toApiError(caught);
      if (error.code === 'VALIDATION') {
        this.errors = error.fieldErrors('patch.');
        return 'invalid';
      }
      if (error.code === 'CONFLICT') {
        const current = error.conflictCurrent<WorkspaceSettings>();
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
