// Table types for Kysely. Columns are snake_case; the API maps them to camelCase.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  role: string;
  is_local: number;
  password_hash: string | null;
  totp_secret: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
  deleted_at: number | null;
}

export interface SettingsTable {
  id: string;
  firm_name: string;
  base_currency: string;
  phone_region: string;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  at: number;
  actor_id: string | null;
  procedure: string;
  record_ids: string;
  diff: string | null;
  diff_hash: string;
  prev_hash: string;
  hash: string;
}

/** Columns every record table carries. */
interface RecordColumns {
  id: string;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
}

interface AddressColumns {
  address_street: string | null;
  address_city: string | null;
  address_region: string | null;
  address_postal_code: string | null;
  address_country: string | null;
}

export interface PeopleTable extends RecordColumns, AddressColumns {
  first_name: string;
  last_name: string;
  title: string | null;
  /** JSON: [{ address, label, primary }] */
  emails: string;
  /** JSON: [{ number, label, primary }] */
  phones: string;
  primary_email: string | null;
  primary_phone: string | null;
  website: string | null;
  lifecycle_stage: string | null;
  source: string | null;
  consent_marketing: number;
  consent_at: number | null;
  consent_basis: string | null;
  /** JSON object keyed by custom field key. */
  custom: string;
  last_activity_at: number | null;
  deleted_at: number | null;
}

export interface PersonEmailsTable {
  person_id: string;
  position: number;
  address: string;
}

export interface CompaniesTable extends RecordColumns, AddressColumns {
  name: string;
  /** JSON: string[] */
  domains: string;
  primary_domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  website: string | null;
  custom: string;
  last_activity_at: number | null;
  deleted_at: number | null;
}

export interface CompanyDomainsTable {
  company_id: string;
  domain: string;
}

export interface PersonCompaniesTable {
  person_id: string;
  company_id: string;
  role: string | null;
  position: number;
}

export interface ActivitiesTable extends RecordColumns {
  kind: string;
  subject: string;
  body: string;
  occurred_at: number;
  duration_minutes: number | null;
  outcome: string | null;
  deleted_at: number | null;
}

export interface NotesTable extends RecordColumns {
  body: string;
  deleted_at: number | null;
}

export interface TasksTable extends RecordColumns {
  title: string;
  body: string;
  due_at: number | null;
  remind_at: number | null;
  reminded_at: number | null;
  assignee_id: string | null;
  done: number;
  completed_at: number | null;
  deleted_at: number | null;
}

/** An activity, note or task linked to a person, company or deal. */
export interface LinksTable {
  item_type: string;
  item_id: string;
  record_type: string;
  record_id: string;
}

export interface TagsTable {
  id: string;
  name: string;
  color: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

export interface RecordTagsTable {
  entity: string;
  record_id: string;
  tag_id: string;
}

export interface FieldDefinitionsTable extends RecordColumns {
  entity: string;
  key: string;
  label: string;
  type: string;
  required: number;
  /** JSON: [{ value, label, color? }] for select fields. */
  options: string;
  help_text: string | null;
  position: number;
  archived_at: number | null;
}

export interface ViewsTable extends RecordColumns {
  entity: string;
  name: string;
  filter: string;
  sort: string;
  columns: string;
  shared: number;
}

export interface AuditRecordsTable {
  record_id: string;
  audit_seq: number;
}

export interface PipelinesTable extends RecordColumns {
  name: string;
  position: number;
  archived_at: number | null;
}

export interface PipelineStagesTable {
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  /** 0–100 */
  probability: number;
  /** open | won | lost */
  kind: string;
  stale_days: number | null;
  archived_at: number | null;
}

export interface DealsTable extends RecordColumns {
  title: string;
  pipeline_id: string;
  stage_id: string;
  position: number;
  /** Integer minor units of `currency`. */
  amount: number;
  currency: string;
  /** YYYY-MM-DD */
  expected_close_date: string | null;
  /** 0–100; overrides the stage's probability. */
  probability: number | null;
  company_id: string | null;
  source: string | null;
  custom: string;
  /** open | won | lost: the kind of its stage. */
  status: string;
  closed_at: number | null;
  lost_reason: string | null;
  stage_entered_at: number;
  last_activity_at: number | null;
  deleted_at: number | null;
}

/**
 * Kept sums of deals' amounts: how many, the amounts, the amounts weighted by the deal's own probability where it
 * overrides its stage's, and the amounts of deals without an override; each split into a high part (÷ 10^9) and a
 * low part (mod 10^9), so no sum nears SQLite's 64-bit limit.
 */
export interface SplitSumColumns {
  n: number;
  amount_hi: number;
  amount_lo: number;
  override_hi: number;
  override_lo: number;
  plain_hi: number;
  plain_lo: number;
}

/** The board's column totals, kept by triggers on deals (migrations/0007_deals.ts). */
export interface DealStageSumsTable extends SplitSumColumns {
  pipeline_id: string;
  stage_id: string;
  currency: string;
  /** YYYY-MM-DD (UTC) of a closed deal's close; '' for open deals. */
  close_day: string;
}

/** Won and lost deals summed by triggers (migrations/0008_report_sums.ts); '' stands for no owner or source. */
export interface DealClosedSumsTable extends SplitSumColumns {
  pipeline_id: string;
  stage_id: string;
  status: string;
  owner_id: string;
  source: string;
  currency: string;
  /** YYYY-MM (UTC) of the close. */
  month: string;
  /** Effective date of the rate in force at the close; '' for the base currency, '0000-01-01' for none. */
  rate_day: string;
  cycle_hi: number;
  cycle_lo: number;
}

/** Stage stays summed by triggers: finished stays' durations, and the entry times of stays going on. */
export interface DealStaySumsTable {
  pipeline_id: string;
  stage_id: string;
  stays: number;
  done_hi: number;
  done_lo: number;
  going: number;
  entered_hi: number;
  entered_lo: number;
}

/** Each deal's stages reached in its pipeline (comma-separated ids in id order), kept by triggers for the funnel. */
export interface DealReachTable {
  deal_id: string;
  pipeline_id: string;
  created_at: number;
  owner_id: string | null;
  source: string | null;
  live: number;
  stages: string;
}

/** Live activities per week (Monday's day number), kind and owner ('' for none), kept by triggers. */
export interface ActivityWeekSumsTable {
  week: number;
  kind: string;
  owner_id: string;
  n: number;
}

export interface DealPeopleTable {
  deal_id: string;
  person_id: string;
  position: number;
}

export interface DealStageHistoryTable {
  id: string;
  deal_id: string;
  pipeline_id: string;
  stage_id: string;
  entered_at: number;
  entered_by: string | null;
  left_at: number | null;
  left_by: string | null;
}

export interface ExchangeRatesTable extends RecordColumns {
  base_currency: string;
  currency: string;
  /** YYYY-MM-DD */
  effective_date: string;
  /** Decimal string: units of base_currency per unit of currency. */
  rate: string;
}

export interface AutomationRulesTable extends RecordColumns {
  pipeline_id: string;
  name: string;
  /** enter | won | lost */
  trigger: string;
  stage_id: string | null;
  /** createTask | setField | addTag */
  action: string;
  /** JSON */
  params: string;
  enabled: number;
  position: number;
}

/** The in-memory search index's serialized snapshots, one per index (migrations/0009_search.ts). */
export interface SearchSnapshotsTable {
  name: string;
  /** The audit_log seq the snapshot reflects. */
  seq: number;
  /** The database's schema version when it was written. */
  schema_version: number;
  /** The version of the serialized form. */
  format: number;
  data: Buffer;
  /** Epoch ms. */
  written_at: number;
}

export interface DB {
  meta: MetaTable;
  users: UsersTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  audit_records: AuditRecordsTable;
  people: PeopleTable;
  person_emails: PersonEmailsTable;
  companies: CompaniesTable;
  company_domains: CompanyDomainsTable;
  person_companies: PersonCompaniesTable;
  activities: ActivitiesTable;
  notes: NotesTable;
  tasks: TasksTable;
  links: LinksTable;
  tags: TagsTable;
  record_tags: RecordTagsTable;
  field_definitions: FieldDefinitionsTable;
  views: ViewsTable;
  pipelines: PipelinesTable;
  pipeline_stages: PipelineStagesTable;
  deals: DealsTable;
  deal_people: DealPeopleTable;
  deal_stage_sums: DealStageSumsTable;
  deal_closed_sums: DealClosedSumsTable;
  deal_stay_sums: DealStaySumsTable;
  deal_reach: DealReachTable;
  activity_week_sums: ActivityWeekSumsTable;
  deal_stage_history: DealStageHistoryTable;
  exchange_rates: ExchangeRatesTable;
  automation_rules: AutomationRulesTable;
  search_snapshots: SearchSnapshotsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type SettingsRow = Selectable<SettingsTable>;
export type SettingsUpdate = Updateable<SettingsTable>;
export type AuditRow = Selectable<AuditLogTable>;
