// Pipelines and their stages, deals with their people and stage history, exchange rates the user enters, and
// automation rules that run when a deal enters a stage or is won or lost. A new workspace gets one "Sales"
// pipeline so the board is usable at once.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function recordColumns<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('owner_id', 'text');
}

const nocase = sql`collate nocase`;
const withoutRowid = sql`without rowid`;

export const DEFAULT_STAGES = [
  { name: 'Lead', probability: 10, kind: 'open' },
  { name: 'Qualified', probability: 25, kind: 'open' },
  { name: 'Proposal', probability: 50, kind: 'open' },
  { name: 'Negotiation', probability: 75, kind: 'open' },
  { name: 'Won', probability: 100, kind: 'won' },
  { name: 'Lost', probability: 0, kind: 'lost' },
] as const;

/**
 * Every table a report reads, with the columns whose update matters when reports read only some (a column's
 * cards renumbered, or an activity that stamps its deal's last_activity_at, leave the reports stamp alone).
 */
const REPORTED_TABLES: [string, string | null][] = [
  [
    'deals',
    'id, pipeline_id, stage_id, amount, currency, expected_close_date, probability, source, status, closed_at, ' +
      'lost_reason, created_at, owner_id, deleted_at',
  ],
  ['deal_stage_history', null],
  ['activities', 'id, kind, occurred_at, owner_id, deleted_at'],
  ['links', null],
  ['exchange_rates', null],
  ['pipelines', null],
  ['pipeline_stages', null],
  ['users', null],
  ['settings', null],
];

export async function up(db: AnyDb): Promise<void> {
  await recordColumns(
    db.schema
      .createTable('pipelines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().modifyEnd(nocase))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived_at', 'bigint'),
  ).execute();

  // A stage taken out of a pipeline keeps its row (archived_at) so stage history and reports can still name it.
  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stale_days', 'integer')
    .addColumn('archived_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('pipeline_stages_pipeline')
    .on('pipeline_stages')
    .columns(['pipeline_id', 'position'])
    .execute();

  await recordColumns(
    db.schema
      .createTable('deals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull().modifyEnd(nocase))
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('stage_id', 'text', (c) => c.notNull())
      // Order within the stage's column: a fraction between its neighbours, renumbered when the gap runs out.
      .addColumn('position', 'real', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('expected_close_date', 'text')
      .addColumn('probability', 'integer')
      .addColumn('company_id', 'text')
      .addColumn('source', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
      // The kind of the stage it is in (open, won, lost), kept on the row for reports and lists.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('lost_reason', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('stage_entered_at', 'bigint', (c) => c.notNull())
      .addColumn('last_activity_at', 'bigint'),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  await db.schema
    .createTable('deal_people')
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_people_pk', ['deal_id', 'person_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('deal_people_person').on('deal_people').columns(['person_id', 'deal_id']).execute();

  await db.schema
    .createTable('deal_stage_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('entered_by', 'text')
    .addColumn('left_at', 'bigint')
    .addColumn('left_by', 'text')
    .execute();
  // A deal's history in order; with its stages, so the funnel report reads no history rows.
  await db.schema
    .createIndex('deal_stage_history_deal')
    .on('deal_stage_history')
    .columns(['deal_id', 'entered_at', 'pipeline_id', 'stage_id'])
    .execute();
  await db.schema
    .createIndex('deal_stage_history_stage')
    .on('deal_stage_history')
    .columns(['pipeline_id', 'stage_id', 'entered_at', 'left_at', 'deal_id'])
    .execute();

  // Rates the user enters: 1 unit of `currency` is worth `rate` units of `base_currency` from `effective_date` on.
  await recordColumns(
    db.schema
      .createTable('exchange_rates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('base_currency', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('effective_date', 'text', (c) => c.notNull())
      .addColumn('rate', 'text', (c) => c.notNull()),
  )
    .addUniqueConstraint('exchange_rates_key', ['base_currency', 'currency', 'effective_date'])
    .execute();

  await recordColumns(
    db.schema
      .createTable('automation_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('stage_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('position', 'integer', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('automation_rules_pipeline')
    .on('automation_rules')
    .columns(['pipeline_id', 'position'])
    .execute();

  const live = (name: string, columns: string) =>
    sql.raw(`CREATE INDEX deals_${name} ON deals (${columns}) WHERE deleted_at IS NULL`).execute(db);
  // The board: a column's cards in order, and its count and totals from the index alone.
  await live('board', 'pipeline_id, stage_id, position, id');
  await live('stage_totals', 'pipeline_id, stage_id, currency, status, closed_at, probability, amount');
  // Reports: closed deals by close time, open deals by expected close, each with every column a report reads so
  // no report goes to the table's rows (deleted_at, always NULL here, makes SQLite treat them as covering). Each
  // holds only its own deals, so a move between open stages leaves deals_closed alone.
  await sql`CREATE INDEX deals_closed ON deals (status, closed_at, currency, amount, probability, stage_id,
    pipeline_id, owner_id, source, lost_reason, created_at, id, deleted_at)
    WHERE deleted_at IS NULL AND status <> 'open'`.execute(db);
  await sql`CREATE INDEX deals_expected_close ON deals (status, expected_close_date, currency, amount, closed_at, probability,
    stage_id, pipeline_id, owner_id, source, created_at, id, deleted_at)
    WHERE deleted_at IS NULL AND status = 'open'`.execute(db);
  // Lists.
  await live('title', 'title, id');
  await live('updated_at', 'updated_at, id');
  await live('created_at', 'created_at, id');
  await live('amount', 'amount, id');
  await live('owner', 'owner_id, status');
  await live('company', 'company_id');
  await sql`CREATE INDEX deals_trash ON deals (deleted_at) WHERE deleted_at IS NOT NULL`.execute(db);
  // The activity report by week from an index alone (the week's Monday as a day number, as the report computes it).
  await sql`CREATE INDEX activities_report_week ON activities (
    (occurred_at / 86400000) - (((occurred_at / 86400000) + 3) % 7), kind, owner_id, occurred_at, deleted_at)
    WHERE deleted_at IS NULL`.execute(db);

  // A stamp that changes with every write to what reports read, so a report's answer can be kept until then
  // (src/reports/report-cache.ts). Random, as config.stamp is: a rolled-back write leaves no stamp to repeat.
  await sql`INSERT INTO meta (key, value) VALUES ('reports.stamp', lower(hex(randomblob(8))))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
  for (const [table, columns] of REPORTED_TABLES) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      const on = event === 'UPDATE' && columns !== null ? `UPDATE OF ${columns}` : event;
      await sql
        .raw(
          `CREATE TRIGGER ${table}_reports_stamp_${event.toLowerCase()} AFTER ${on} ON ${table} BEGIN
            UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'reports.stamp'; END`,
        )
        .execute(db);
    }
  }

  // The board's column totals, kept by triggers: per stage, currency and close day (empty while open), the count
  // and the sums a column needs, so a board reads a few thousand rows instead of every deal of the pipeline.
  // Sums are split into amount ÷ 10^9 and amount mod 10^9 so that none can overflow 64 bits.
  await db.schema
    .createTable('deal_stage_sums')
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('close_day', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('amount_hi', 'integer', (c) => c.notNull())
    .addColumn('amount_lo', 'integer', (c) => c.notNull())
    .addColumn('override_hi', 'integer', (c) => c.notNull())
    .addColumn('override_lo', 'integer', (c) => c.notNull())
    .addColumn('plain_hi', 'integer', (c) => c.notNull())
    .addColumn('plain_lo', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_stage_sums_pk', ['pipeline_id', 'stage_id', 'currency', 'close_day'])
    .modifyEnd(withoutRowid)
    .execute();
  const sums = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
    sql.raw(`INSERT INTO deal_stage_sums (pipeline_id, stage_id, currency, close_day, n, amount_hi, amount_lo,
        override_hi, override_lo, plain_hi, plain_lo)
      VALUES (${row}.pipeline_id, ${row}.stage_id, ${row}.currency,
        CASE WHEN ${row}.closed_at IS NULL THEN '' ELSE date(${row}.closed_at / 1000, 'unixepoch') END,
        ${sign}1, ${sign}(${row}.amount / 1000000000), ${sign}(${row}.amount % 1000000000),
        ${sign}(CASE WHEN ${row}.probability IS NULL THEN 0 ELSE (${row}.amount / 1000000000) * ${row}.probability END),
        ${sign}(CASE WHEN ${row}.probability IS NULL THEN 0 ELSE (${row}.amount % 1000000000) * ${row}.probability END),
        ${sign}(CASE WHEN ${row}.probability IS NULL THEN ${row}.amount / 1000000000 ELSE 0 END),
        ${sign}(CASE WHEN ${row}.probability IS NULL THEN ${row}.amount % 1000000000 ELSE 0 END))
      ON CONFLICT (pipeline_id, stage_id, currency, close_day) DO UPDATE SET n = n + excluded.n,
        amount_hi = amount_hi + excluded.amount_hi, amount_lo = amount_lo + excluded.amount_lo,
        override_hi = override_hi + excluded.override_hi, override_lo = override_lo + excluded.override_lo,
        plain_hi = plain_hi + excluded.plain_hi, plain_lo = plain_lo + excluded.plain_lo`);
  const emptied = (row: 'OLD') =>
    sql.raw(`DELETE FROM deal_stage_sums WHERE pipeline_id = ${row}.pipeline_id AND stage_id = ${row}.stage_id
      AND currency = ${row}.currency AND n = 0`);
  await sql`CREATE TRIGGER deal_stage_sums_insert AFTER INSERT ON deals WHEN NEW.deleted_at IS NULL BEGIN
    ${sums('NEW', '+')}; END`.execute(db);
  await sql`CREATE TRIGGER deal_stage_sums_delete AFTER DELETE ON deals WHEN OLD.deleted_at IS NULL BEGIN
    ${sums('OLD', '-')}; ${emptied('OLD')}; END`.execute(db);
  await sql`CREATE TRIGGER deal_stage_sums_update_old AFTER UPDATE OF pipeline_id, stage_id, currency, closed_at, amount,
    probability, deleted_at ON deals WHEN OLD.deleted_at IS NULL BEGIN ${sums('OLD', '-')}; ${emptied('OLD')}; END`.execute(
    db,
  );
  await sql`CREATE TRIGGER deal_stage_sums_update_new AFTER UPDATE OF pipeline_id, stage_id, currency, closed_at, amount,
    probability, deleted_at ON deals WHEN NEW.deleted_at IS NULL BEGIN ${sums('NEW', '+')}; END`.execute(db);

  // The default pipeline of a new workspace (an existing one gets it too: it had no deals before).
  const now = Date.now();
  const pipelineId = uuidv7();
  await db
    .insertInto('pipelines')
    .values({ id: pipelineId, name: 'Sales', position: 0, version: 1, created_at: now, updated_at: now })
    .execute();
  await db
    .insertInto('pipeline_stages')
    .values(
      DEFAULT_STAGES.map((s, i) => ({
        id: uuidv7(),
        pipeline_id: pipelineId,
        name: s.name,
        position: i,
        probability: s.probability,
        kind: s.kind,
        stale_days: s.kind === 'open' ? 14 : null,
      })),
    )
    .execute();
}
