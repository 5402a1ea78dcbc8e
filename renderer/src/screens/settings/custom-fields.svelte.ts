// The custom fields editor's state: one entity's field definitions in form order, kept live, and the
// changes an administrator makes to them (reordering shows at once and rolls back if the core refuses).
import type { LucideIcon } from '@lucide/svelte';
import AlignLeft from '@lucide/svelte/icons/align-left';
import AtSign from '@lucide/svelte/icons/at-sign';
import Banknote from '@lucide/svelte/icons/banknote';
import Calendar from '@lucide/svelte/icons/calendar';
import CircleChevronDown from '@lucide/svelte/icons/circle-chevron-down';
import Hash from '@lucide/svelte/icons/hash';
import Link from '@lucide/svelte/icons/link';
import ListChecks from '@lucide/svelte/icons/list-checks';
import Phone from '@lucide/svelte/icons/phone';
import SquareCheck from '@lucide/svelte/icons/square-check';
import Type from '@lucide/svelte/icons/type';
import { toast } from 'svelte-sonner';
import { api, toApiError, touches, type ApiError, type InputOf, type OutputOf } from '../../lib/api';

export type FieldDefinition = OutputOf<'fields.list'>['items'][number];
export type FieldType = FieldDefinition['type'];
export type FieldEntity = 'person' | 'company';
export type FieldPatch = InputOf<'fields.update'>['patch'];

export const FIELD_ENTITIES: Array<{ value: FieldEntity; label: string }> = [
  { value: 'person', label: 'People' },
  { value: 'company', label: 'Companies' },
];

export const FIELD_TYPES: Array<{ value: FieldType; label: string; icon: LucideIcon; hint: string }> = [
  { value: 'text', label: 'Text', icon: Type, hint: 'One line of text' },
  { value: 'longText', label: 'Long text', icon: AlignLeft, hint: 'Paragraphs' },
  { value: 'number', label: 'Number', icon: Hash, hint: 'Any number' },
  { value: 'money', label: 'Money', icon: Banknote, hint: 'An amount in a currency' },
  { value: 'date', label: 'Date', icon: Calendar, hint: 'A day' },
  { value: 'boolean', label: 'Checkbox', icon: SquareCheck, hint: 'Yes or no' },
  { value: 'select', label: 'Single select', icon: CircleChevronDown, hint: 'One option from a list' },
  { value: 'multiSelect', label: 'Multi select', icon: ListChecks, hint: 'Any options from a list' },
  { value: 'email', label: 'Email', icon: AtSign, hint: 'An email address' },
  { value: 'phone', label: 'Phone', icon: Phone, hint: 'A phone number' },
  { value: 'url', label: 'Link', icon: Link, hint: 'A web address' },
];

export function fieldType(type: FieldType): (typeof FIELD_TYPES)[number] {
  return FIELD_TYPES.find((option) => option.value === type) ?? FIELD_TYPES[0]!;
}

export const hasOptions = (type: FieldType): boolean => type === 'select' || type === 'multiSelect';

export class CustomFieldsState {
  entity = $state<FieldEntity>('person');
  fields = $state<FieldDefinition[]>([]);
  loading = $state(true);
  error = $state<ApiError | null>(null);
  /** A reorder on its way to the core: live refreshes wait so the list doesn't jump back and forth. */
  reordering = $state(false);

  #generation = 0;
  #stop: (() => void) | null = null;

  get active(): FieldDefinition[] {
    return this.fields.filter((field) => !field.archived).sort((a, b) => a.position - b.position);
  }

  get archived(): FieldDefinition[] {
    return this.fields.filter((field) => field.archived);
  }

  start(): void {
    if (this.#stop) return;
    void this.load();
    this.#stop = api.onChange((event) => {
      if (touches(event, 'field') && !this.reordering) void this.load();
    });
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }

  show(entity: FieldEntity): void {
    if (entity === this.entity) return;
    this.entity = entity;
    this.fields = [];
    this.loading = true;
    this.error = null;
    void this.load();
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const { items } = await api.call('fields.list', { entity: this.entity, includeArchived: true });
      if (generation !== this.#generation) return;
      this.fields = items;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = toApiError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async create(input: Omit<InputOf<'fields.create'>, 'entity'>): Promise<FieldDefinition> {
    const created = await api.call('fields.create', { ...input, entity: this.entity });
    if (created.entity === this.entity) this.fields = [...this.fields.filter((f) => f.id !== created.id), created];
    return created;
  }

  async update(field: FieldDefinition, patch: FieldPatch): Promise<FieldDefinition> {
    const saved = await api.call('fields.update', { id: field.id, version: field.version, patch });
    this.#replace(saved);
    return saved;
  }

  /** Brings an archived field back into forms and lists, at the end. */
  async restore(field: FieldDefinition): Promise<void> {
    try {
      const position = this.active.reduce((max, f) => Math.max(max, f.position + 1), 0);
      const saved = await api.call('fields.update', {
        id: field.id,
        version: field.version,
        patch: { archived: false, position },
      });
      this.#replace(saved);
      toast.success(`Restored “${field.label}”`, {
        description: 'It shows in forms and lists again, with its values.',
      });
    } catch (error) {
      this.#explain(error, `Couldn't restore “${field.label}”`);
    }
  }

  async archive(field: FieldDefinition): Promise<void> {
    try {
      const saved = await api.call('fields.archive', { id: field.id, version: field.version });
      this.#replace(saved);
      toast.success(`Archived “${field.label}”`, { description: 'Values already entered are kept.' });
    } catch (error) {
      this.#explain(error, `Couldn't archive “${field.label}”`);
    }
  }

  /** Moves a field up (-1) or down (+1) in the form order. */
  move(field: FieldDefinition, delta: -1 | 1): Promise<void> {
    const ids = this.active.map((f) => f.id);
    const from = ids.indexOf(field.id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return Promise.resolve();
    ids.splice(from, 1);
    ids.splice(to, 0, field.id);
    return this.reorder(ids);
  }

  /** Puts the active fields in the order of `ids` at once, and back if the core refuses. */
  async reorder(ids: string[]): Promise<void> {
    const before = this.fields;
    this.fields = this.fields.map((field) =>
      ids.includes(field.id) ? { ...field, position: ids.indexOf(field.id) } : field,
    );
    this.reordering = true;
    try {
      const { items } = await api.call('fields.reorder', { entity: this.entity, ids });
      this.fields = [...items, ...this.archived];
    } catch (error) {
      this.fields = before;
      this.#explain(error, "Couldn't change the order");
    } finally {
      this.reordering = false;
    }
  }

  #replace(field: FieldDefinition): void {
    this.fields = this.fields.map((existing) => (existing.id === field.id ? field : existing));
  }

  #explain(error: unknown, title: string): void {
    const apiError = toApiError(error);
    if (apiError.code === 'CONFLICT') {
      toast.error(title, { description: 'Someone else changed this field a moment ago. It now shows their version.' });
      void this.load();
    } else {
      toast.error(title, { description: apiError.message });
    }
  }
}
