// Sums that reports read instead of every closed deal and every stage stay, kept by triggers as deal_stage_sums
// keeps the board's totals. A report over all time then reads a few thousand summary rows, not 42k deals and
// 155k history rows (docs/benchmarks.md).
//
// deal_closed_sums: won and lost deals per pipeline, stage, status, owner, source, currency, close month (UTC) and
// rate day. The rate day is the effective date of the exchange rate in force on the deal's close day ('' for the
// base currency, '0000-01-01' when no rate is in force), so each row converts with one rate, exactly as the deals
// it counts would. Rows of a currency are rebuilt when one of its rates changes, and all rows when the base
// currency changes. Owner and source are '' when a deal has none (a key column cannot be NULL).
//
// deal_stay_sums: stays in each stage, with finished stays' summed durations and the count and summed entry
// times of stays still going on, so the time in a stage can be worked out at any moment.
//
// deal_reach: each deal's set of stages it has been in (in its current pipeline), with the columns the funnel
// filters on. The funnel counts deals per set and works out each set's furthest stage from the stage order of
// the moment, so reordering stages changes nothing here.
//
// activity_week_sums: live activities per week (the Monday's day number, UTC), kind and owner ('' for none).
//
// Every sum of amounts or times is split into value ÷ 10^9 and value mod 10^9, so that none can overflow 64 bits.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const withoutRowid = sql`without rowid`;
const SPLIT = 1_000_000_000;

const BASE = `coalesce((SELECT base_currency FROM settings LIMIT 1), 'EUR')`;

/** The rate day of row `r` (a deals row or alias). */
const rateDay = (r: string) => `CASE WHEN ${r}.currency = ${BASE} THEN ''
  ELSE coalesce((SELECT max(e.effective_date) FROM exchange_rates e WHERE e.base_currency = ${BASE}
    AND e.currency = ${r}.currency AND e.effective_date <= date(${r}.closed_at / 1000, 'unixepoch')), '0000-01-01') END`;

const KEY = 'pipeline_id, stage_id, status, owner_id, source, currency, month, rate_day';
const SUMS = 'n, amount_hi, amount_lo, override_hi, override_lo, plain_hi, plain_lo, cycle_hi, cycle_lo';

/** The key of one deal `r`'s row, as values. */
const closedKey = (r: string) => `${r}.pipeline_id, ${r}.stage_id, ${r}.status,
  coalesce(${r}.owner_id, ''), coalesce(${r}.source, ''), ${r}.currency,
  strftime('%Y-%m', ${r}.closed_at / 1000, 'unixepoch'), ${rateDay(r)}`;

/** The key and sums of one deal `r`, as values (sign + or -). */
const closedValues = (r: string, sign: '+' | '-') => `${closedKey(r)},
  ${sign}1, ${sign}(${r}.amount / ${SPLIT}), ${sign}(${r}.amount % ${SPLIT}),
  ${sign}(CASE WHEN ${r}.probability IS NULL THEN 0 ELSE (${r}.amount / ${SPLIT}) * ${r}.probability END),
  ${sign}(CASE WHEN ${r}.probability IS NULL THEN 0 ELSE (${r}.amount % ${SPLIT}) * ${r}.probability END),
  ${sign}(CASE WHEN ${r}.probability IS NULL THEN ${r}.amount / ${SPLIT} ELSE 0 END),
  ${sign}(CASE WHEN ${r}.probability IS NULL THEN ${r}.amount % ${SPLIT} ELSE 0 END),
  ${sign}((${r}.closed_at - ${r}.created_at) / ${SPLIT}), ${sign}((${r}.closed_at - ${r}.created_at) % ${SPLIT})`;

const upsertClosed = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `INSERT INTO deal_closed_sums (${KEY}, ${SUMS}) VALUES (${closedValues(r, sign)})
   ON CONFLICT (${KEY}) DO UPDATE SET n = n + excluded.n,
     amount_hi = amount_hi + excluded.amount_hi, amount_lo = amount_lo + excluded.amount_lo,
     override_hi = override_hi + excluded.override_hi, override_lo = override_lo + excluded.override_lo,
     plain_hi = plain_hi + excluded.plain_hi, plain_lo = plain_lo + excluded.plain_lo,
     cycle_hi = cycle_hi + excluded.cycle_hi, cycle_lo = cycle_lo + excluded.cycle_lo`;

/** Takes away the row `r` counted in when no deal is left in it. */
const dropEmptyClosed = (r: 'OLD') => `DELETE FROM deal_closed_sums WHERE (${KEY}) = (${closedKey(r)}) AND n = 0`;

/** Recounts the rows of closed deals matching `where` (over alias d) from the deals themselves. */
const rebuildClosed = (where: string) => `INSERT INTO deal_closed_sums (${KEY}, ${SUMS})
  SELECT pipeline_id, stage_id, status, owner_id, source, currency, month, rate_day,
    count(*), sum(amount / ${SPLIT}), sum(amount % ${SPLIT}),
    sum(CASE WHEN probability IS NULL THEN 0 ELSE (amount / ${SPLIT}) * probability END),
    sum(CASE WHEN probability IS NULL THEN 0 ELSE (amount % ${SPLIT}) * probability END),
    sum(CASE WHEN probability IS NULL THEN amount / ${SPLIT} ELSE 0 END),
    sum(CASE WHEN probability IS NULL THEN amount % ${SPLIT} ELSE 0 END),
    sum(cycle / ${SPLIT}), sum(cycle % ${SPLIT})
  FROM (SELECT d.pipeline_id, d.stage_id, d.status, coalesce(d.owner_id, '') AS owner_id,
      coalesce(d.source, '') COLLATE NOCASE AS source, d.currency,
      strftime('%Y-%m', d.closed_at / 1000, 'unixepoch') AS month, ${rateDay('d')} AS rate_day,
      d.amount, d.probability, d.closed_at - d.created_at AS cycle
    FROM deals d WHERE d.deleted_at IS NULL AND d.status <> 'open' AND d.closed_at IS NOT NULL AND (${where}))
  GROUP BY pipeline_id, stage_id, status, owner_id, source, currency, month, rate_day`;

const STAYS = 'stays, done_hi, done_lo, going, entered_hi, entered_lo';

const upsertStay = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `INSERT INTO deal_stay_sums (pipeline_id, stage_id, ${STAYS}) VALUES (${r}.pipeline_id, ${r}.stage_id, ${sign}1,
     ${sign}coalesce((${r}.left_at - ${r}.entered_at) / ${SPLIT}, 0), ${sign}coalesce((${r}.left_at - ${r}.entered_at) % ${SPLIT}, 0),
     ${sign}(${r}.left_at IS NULL),
     ${sign}(CASE WHEN ${r}.left_at IS NULL THEN ${r}.entered_at / ${SPLIT} ELSE 0 END),
     ${sign}(CASE WHEN ${r}.left_at IS NULL THEN ${r}.entered_at % ${SPLIT} ELSE 0 END))
   ON CONFLICT (pipeline_id, stage_id) DO UPDATE SET stays = stays + excluded.stays,
     done_hi = done_hi + excluded.done_hi, done_lo = done_lo + excluded.done_lo, going = going + excluded.going,
     entered_hi = entered_hi + excluded.entered_hi, entered_lo = entered_lo + excluded.entered_lo`;

/** The Monday (days since 1970-01-01) of the week of activity row `r`; 1970-01-01 was a Thursday. */
const week = (r: string) => `(${r}.occurred_at / 86400000) - (((${r}.occurred_at / 86400000) + 3) % 7)`;

const countActivity = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `INSERT INTO activity_week_sums (week, kind, owner_id, n) VALUES (${week(r)}, ${r}.kind, coalesce(${r}.owner_id, ''),
     ${sign}1) ON CONFLICT (week, kind, owner_id) DO UPDATE SET n = n + excluded.n`;

const dropEmptyWeek = (r: 'OLD') => `DELETE FROM activity_week_sums
  WHERE week = ${week(r)} AND kind = ${r}.kind AND owner_id = coalesce(${r}.owner_id, '') AND n = 0`;

/**
 * Deal `id`'s stages in pipeline `pipeline`, distinct, in id order, comma-separated ('' for none). Through the
 * deal's own history: the planner would otherwise take the stage index for its order and read a whole pipeline.
 */
const reachedStages = (id: string, pipeline: string) => `coalesce((SELECT group_concat(stage_id, ',') FROM
  (SELECT DISTINCT h.stage_id FROM deal_stage_history h INDEXED BY deal_stage_history_stays
   WHERE h.deal_id = ${id} AND h.pipeline_id = ${pipeline}
   ORDER BY h.stage_id)), '')`;

const refreshReach = (id: string) => `UPDATE deal_reach SET stages = ${reachedStages(id, 'deal_reach.pipeline_id')}
  WHERE deal_id = ${id}`;

/** Counts every kept sum from the rows (the tables must be empty): what the triggers then keep up. */
export async function fillReportSums(db: AnyDb): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  await run(rebuildClosed('1'));
  await run(`INSERT INTO deal_stay_sums (pipeline_id, stage_id, ${STAYS})
    SELECT pipeline_id, stage_id, count(*),
      coalesce(sum((left_at - entered_at) / ${SPLIT}), 0), coalesce(sum((left_at - entered_at) % ${SPLIT}), 0),
      count(*) - count(left_at),
      coalesce(sum(CASE WHEN left_at IS NULL THEN entered_at / ${SPLIT} END), 0),
      coalesce(sum(CASE WHEN left_at IS NULL THEN entered_at % ${SPLIT} END), 0)
    FROM deal_stage_history GROUP BY pipeline_id, stage_id`);
  await run(`INSERT INTO deal_reach (deal_id, pipeline_id, created_at, owner_id, source, live, stages)
    SELECT d.id, d.pipeline_id, d.created_at, d.owner_id, d.source, d.deleted_at IS NULL,
      ${reachedStages('d.id', 'd.pipeline_id')} FROM deals d`);
  await run(`INSERT INTO activity_week_sums (week, kind, owner_id, n)
    SELECT ${week('a')} AS w, a.kind, coalesce(a.owner_id, '') AS o, count(*) FROM activities a
    WHERE a.deleted_at IS NULL GROUP BY w, a.kind, o`);
}

export async function up(db: AnyDb): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);

  // A deal's history by pipeline and stage, with its times: the stays of the deals a filtered report picks are
  // read from the index alone, and a deal's set of stages comes out distinct in order. It replaces the index by
  // deal and entry time (a deal's few entries are sorted by time at no cost).
  await run('DROP INDEX deal_stage_history_deal');
  await run(`CREATE INDEX deal_stage_history_stays ON deal_stage_history (deal_id, pipeline_id, stage_id, entered_at,
    left_at)`);

  await db.schema
    .createTable('deal_closed_sums')
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().modifyEnd(sql`collate nocase`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('rate_day', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('amount_hi', 'integer', (c) => c.notNull())
    .addColumn('amount_lo', 'integer', (c) => c.notNull())
    .addColumn('override_hi', 'integer', (c) => c.notNull())
    .addColumn('override_lo', 'integer', (c) => c.notNull())
    .addColumn('plain_hi', 'integer', (c) => c.notNull())
    .addColumn('plain_lo', 'integer', (c) => c.notNull())
    .addColumn('cycle_hi', 'integer', (c) => c.notNull())
    .addColumn('cycle_lo', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_closed_sums_pk', [
      'pipeline_id',
      'stage_id',
      'status',
      'owner_id',
      'source',
      'currency',
      'month',
      'rate_day',
    ])
    .modifyEnd(withoutRowid)
    .execute();

  const closed = (r: 'NEW' | 'OLD') =>
    `${r}.deleted_at IS NULL AND ${r}.status <> 'open' AND ${r}.closed_at IS NOT NULL`;
  await run(`CREATE TRIGGER deal_closed_sums_insert AFTER INSERT ON deals WHEN ${closed('NEW')} BEGIN
    ${upsertClosed('NEW', '+')}; END`);
  await run(`CREATE TRIGGER deal_closed_sums_delete AFTER DELETE ON deals WHEN ${closed('OLD')} BEGIN
    ${upsertClosed('OLD', '-')}; ${dropEmptyClosed('OLD')}; END`);
  const columns =
    'pipeline_id, stage_id, status, owner_id, source, currency, closed_at, amount, probability, created_at, deleted_at';
  await run(`CREATE TRIGGER deal_closed_sums_update_old AFTER UPDATE OF ${columns} ON deals WHEN ${closed('OLD')} BEGIN
    ${upsertClosed('OLD', '-')}; ${dropEmptyClosed('OLD')}; END`);
  await run(`CREATE TRIGGER deal_closed_sums_update_new AFTER UPDATE OF ${columns} ON deals WHEN ${closed('NEW')} BEGIN
    ${upsertClosed('NEW', '+')}; END`);
  // A rate entered, changed or removed moves its currency's deals to other rate days; a new base currency moves all.
  for (const [event, rows] of [
    ['INSERT', ['NEW']],
    ['UPDATE', ['OLD', 'NEW']],
    ['DELETE', ['OLD']],
  ] as const) {
    const currencies = rows.map((r) => `${r}.currency`).join(', ');
    await run(`CREATE TRIGGER deal_closed_sums_rates_${event.toLowerCase()} AFTER ${event} ON exchange_rates BEGIN
      DELETE FROM deal_closed_sums WHERE currency IN (${currencies});
      ${rebuildClosed(`d.currency IN (${currencies})`)}; END`);
  }
  await run(`CREATE TRIGGER deal_closed_sums_base AFTER UPDATE OF base_currency ON settings
    WHEN OLD.base_currency IS NOT NEW.base_currency BEGIN
      DELETE FROM deal_closed_sums; ${rebuildClosed('1')}; END`);
  await run(`CREATE TRIGGER deal_closed_sums_settings AFTER INSERT ON settings BEGIN
      DELETE FROM deal_closed_sums; ${rebuildClosed('1')}; END`);

  await db.schema
    .createTable('deal_stay_sums')
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('stays', 'integer', (c) => c.notNull())
    .addColumn('done_hi', 'integer', (c) => c.notNull())
    .addColumn('done_lo', 'integer', (c) => c.notNull())
    .addColumn('going', 'integer', (c) => c.notNull())
    .addColumn('entered_hi', 'integer', (c) => c.notNull())
    .addColumn('entered_lo', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_stay_sums_pk', ['pipeline_id', 'stage_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await run(`CREATE TRIGGER deal_stay_sums_insert AFTER INSERT ON deal_stage_history BEGIN
    ${upsertStay('NEW', '+')}; END`);
  await run(`CREATE TRIGGER deal_stay_sums_delete AFTER DELETE ON deal_stage_history BEGIN
    ${upsertStay('OLD', '-')}; DELETE FROM deal_stay_sums WHERE stays = 0; END`);
  await run(`CREATE TRIGGER deal_stay_sums_update AFTER UPDATE OF pipeline_id, stage_id, entered_at, left_at
    ON deal_stage_history BEGIN ${upsertStay('OLD', '-')}; ${upsertStay('NEW', '+')};
    DELETE FROM deal_stay_sums WHERE stays = 0; END`);

  await db.schema
    .createTable('deal_reach')
    .addColumn('deal_id', 'text', (c) => c.primaryKey().references('deals.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('source', 'text', (c) => c.modifyEnd(sql`collate nocase`))
    .addColumn('live', 'integer', (c) => c.notNull())
    .addColumn('stages', 'text', (c) => c.notNull())
    .modifyEnd(withoutRowid)
    .execute();
  // The funnel of a pipeline reads its live deals' sets in order (no sort), checking the filters on the index.
  await run(`CREATE INDEX deal_reach_funnel ON deal_reach (pipeline_id, stages, created_at, owner_id, source)
    WHERE live = 1`);
  await run(`CREATE TRIGGER deal_reach_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deal_reach (deal_id, pipeline_id, created_at, owner_id, source, live, stages)
    VALUES (NEW.id, NEW.pipeline_id, NEW.created_at, NEW.owner_id, NEW.source, NEW.deleted_at IS NULL,
      ${reachedStages('NEW.id', 'NEW.pipeline_id')}); END`);
  await run(`CREATE TRIGGER deal_reach_update AFTER UPDATE OF pipeline_id, created_at, owner_id, source, deleted_at
    ON deals BEGIN
    UPDATE deal_reach SET pipeline_id = NEW.pipeline_id, created_at = NEW.created_at, owner_id = NEW.owner_id,
      source = NEW.source, live = NEW.deleted_at IS NULL WHERE deal_id = NEW.id;
    ${refreshReach('NEW.id')}; END`);
  await run(`CREATE TRIGGER deal_reach_history_insert AFTER INSERT ON deal_stage_history BEGIN
    ${refreshReach('NEW.deal_id')}; END`);
  await run(`CREATE TRIGGER deal_reach_history_delete AFTER DELETE ON deal_stage_history BEGIN
    ${refreshReach('OLD.deal_id')}; END`);
  await run(`CREATE TRIGGER deal_reach_history_update AFTER UPDATE OF deal_id, pipeline_id, stage_id
    ON deal_stage_history BEGIN ${refreshReach('OLD.deal_id')}; ${refreshReach('NEW.deal_id')}; END`);

  await db.schema
    .createTable('activity_week_sums')
    .addColumn('week', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_week_sums_pk', ['week', 'kind', 'owner_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await run(`CREATE TRIGGER activity_week_sums_insert AFTER INSERT ON activities WHEN NEW.deleted_at IS NULL BEGIN
    ${countActivity('NEW', '+')}; END`);
  await run(`CREATE TRIGGER activity_week_sums_delete AFTER DELETE ON activities WHEN OLD.deleted_at IS NULL BEGIN
    ${countActivity('OLD', '-')}; ${dropEmptyWeek('OLD')}; END`);
  await run(`CREATE TRIGGER activity_week_sums_update_old AFTER UPDATE OF occurred_at, kind, owner_id, deleted_at
    ON activities WHEN OLD.deleted_at IS NULL BEGIN ${countActivity('OLD', '-')}; ${dropEmptyWeek('OLD')}; END`);
  await run(`CREATE TRIGGER activity_week_sums_update_new AFTER UPDATE OF occurred_at, kind, owner_id, deleted_at
    ON activities WHEN NEW.deleted_at IS NULL BEGIN ${countActivity('NEW', '+')}; END`);
  await fillReportSums(db);
}
