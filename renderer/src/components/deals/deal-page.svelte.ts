// A deal's page state: the shared editable page (the deal, its fields, saves, conflicts, live updates) plus its
// pipeline and stage history, and moves between stages.
import { api, toApiError, touches, type ApiError, type ChangeEvent } from '../../lib/api';
import { fromDraft, unreadableDraft, type DisplayContext, type FieldSpec } from '../records/form/field-specs';
import { EditablePage, type SaveResult as PageSaveResult } from '../records/page/editable-page.svelte';
import type { FieldDefinition } from '../records/types';
import {
  COMPANY_KEY,
  comparableDealValue,
  dealPatch,
  dealSpecs,
  dealValue,
  describeDealValue,
  PEOPLE_KEY,
} from './deal-fields';
import type { Deal, Pipeline, StageHistoryEntry } from './deals';

/** A refused value: the first message. */
type Invalid = { error: string };

export type SaveResult = PageSaveResult<Invalid>;

export class DealPage extends EditablePage<Deal, Invalid, 'deal'> {
  pipeline = $state<Pipeline | null>(null);
  history = $state<StageHistoryEntry[]>([]);
  moving = $state(false);

  constructor(id: string) {
    super('deal', id);
  }

  get deal(): Deal | null {
    return this.record;
  }

  protected async fetch(): Promise<Deal> {
    return (await api.call('deals.get', { id: this.id })) as Deal;
  }

  protected override async loaded(deal: Deal): Promise<void> {
    if (this.pipeline?.id !== deal.pipelineId) await this.loadPipeline();
    await this.loadHistory();
  }

  protected override changed(event: ChangeEvent | null): void {
    if (touches(event, 'pipeline')) void this.loadPipeline();
  }

  protected async send(version: number, patch: Record<string, unknown>): Promise<Deal> {
    return (await api.call('deals.update', { id: this.id, version, patch })) as Deal;
  }

  protected async fetchFields(): Promise<FieldDefinition[]> {
    // Every entity's fields: the deal's are picked out by dealSpecs.
    return (await api.call('fields.list', {})).items;
  }

  protected buildSpecs(custom: FieldDefinition[]): FieldSpec[] {
    return dealSpecs(custom);
  }

  protected valueOf(deal: Deal, key: string): unknown {
    return dealValue(deal, key);
  }

  protected same(spec: FieldSpec, a: unknown, b: unknown): boolean {
    return comparableDealValue(spec.key, a) === comparableDealValue(spec.key, b);
  }

  protected describe(spec: FieldSpec, value: unknown, deal: Deal, context: DisplayContext): string {
    return describeDealValue(spec, value, deal, context);
  }

  protected patchFor(mine: Record<string, unknown>): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mine)) {
      for (const [field, part] of Object.entries(dealPatch(key, value))) {
        patch[field] =
          field === 'custom' ? { ...(patch.custom as object | undefined), ...(part as object) } : (part as unknown);
      }
    }
    return patch;
  }

  /**
   * The editor's draft as the API takes it: no company is null, people are taken as picked, other fields as the
   * record form reads them. A number that does not read, or a required field left empty, is refused here.
   */
  protected override parse(spec: FieldSpec, draft: unknown): { value: unknown } | { invalid: Invalid } {
    const value =
      spec.key === COMPANY_KEY
        ? draft === ''
          ? null
          : draft
        : spec.key === PEOPLE_KEY
          ? draft
          : fromDraft(spec, draft);
    if (value === undefined) return { invalid: { error: unreadableDraft(spec) } };
    if (spec.required && (value === null || value === '')) return { invalid: { error: `${spec.label} is required` } };
    return { value };
  }

  protected invalid(error: ApiError): Invalid {
    return { error: error.issues[0]?.message ?? error.message };
  }

  protected async trash(action: 'delete' | 'restore'): Promise<void> {
    await api.call(`deals.${action}`, { id: this.id });
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

  /** Moves the deal to a stage (closing or reopening it); a CONFLICT reloads and is reported to the caller. */
  async move(stageId: string, lostReason?: string): Promise<ApiError | null> {
    const deal = this.deal;
    if (!deal) return null;
    this.moving = true;
    try {
      this.record = (await api.call('deals.move', {
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
}
