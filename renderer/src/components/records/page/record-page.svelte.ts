// A person's or company's page state: the shared editable page, read and patched through the record forms' specs.
import type { ApiError } from '../../../lib/api';
import {
  describeValue,
  errorsFromIssues,
  fieldPatch,
  fieldSpecs,
  fromDraft,
  unreadableDraft,
  mergePatches,
  readValue,
  sameValue,
  type DisplayContext,
  type FieldSpec,
} from '../form/field-specs';
import { call, ENTITY_PROCEDURES, type Company, type Entity, type FieldDefinition, type Person } from '../types';
import { EditablePage, type SaveResult as PageSaveResult } from './editable-page.svelte';

type AnyRecord = Person | Company;
/** A refused value: field key → message ('' for the record as a whole). */
type Invalid = { errors: Record<string, string> };

export type SaveResult = PageSaveResult<Invalid>;

export class RecordPage extends EditablePage<AnyRecord, Invalid, Entity> {
  get area(): 'people' | 'companies' {
    return ENTITY_PROCEDURES[this.entity].area;
  }

  protected fetch(): Promise<AnyRecord> {
    return call(`${this.area}.get`, { id: this.id });
  }

  protected send(version: number, patch: Record<string, unknown>): Promise<AnyRecord> {
    return call(`${this.area}.update`, { id: this.id, version, patch });
  }

  protected async fetchFields(): Promise<FieldDefinition[]> {
    return (await call('fields.list', { entity: this.entity })).items;
  }

  protected buildSpecs(custom: FieldDefinition[]): FieldSpec[] {
    return fieldSpecs(this.entity, custom);
  }

  protected valueOf(record: AnyRecord, key: string): unknown {
    return readValue(record, key);
  }

  protected same(spec: FieldSpec, a: unknown, b: unknown): boolean {
    return sameValue(comparable(spec, a), comparable(spec, b));
  }

  protected describe(spec: FieldSpec, value: unknown, _record: AnyRecord, context: DisplayContext): string {
    return describeValue(spec, value, context);
  }

  protected patchFor(mine: Record<string, unknown>): Record<string, unknown> {
    return mergePatches(Object.entries(mine).map(([key, value]) => fieldPatch(this.specOf(key), value)));
  }

  protected invalid(error: ApiError): Invalid {
    const errors = errorsFromIssues(this.specs, error.issues, 'patch.');
    return { errors: Object.keys(errors).length ? errors : { '': error.message } };
  }

  /** The draft as the API takes it; numbers and amounts that do not read are refused here. */
  protected override parse(spec: FieldSpec, draft: unknown): { value: unknown } | { invalid: Invalid } {
    const value = fromDraft(spec, draft);
    if (value !== undefined) return { value };
    return { invalid: { errors: { [spec.key]: unreadableDraft(spec) } } };
  }

  protected async trash(action: 'delete' | 'restore'): Promise<void> {
    await call(`${this.area}.${action}`, { id: this.id });
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
