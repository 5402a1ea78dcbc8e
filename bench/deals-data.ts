// The deals data set: 50k deals over three pipelines, two currencies and two years, made from a seeded PRNG and
// written straight into the tables with prepared statements in one transaction. The rows have the shape
// deals.create and deals.move leave behind: status mirrors the stage's kind, closed_at is the entry into the
// won/lost stage, stage_entered_at the start of the last stay, one deal_stage_history row per stay (left_at set
// on all but the last), positions in order within each column. Pipelines and exchange rates are made through
// the API beforehand (bench/deals.ts); this only reads them.
import type { SqliteDatabase } from '../src/db/connection.js';
import { v7 as uuidv7 } from 'uuid';
import { pick, prng, SEED, WORDS, withBigCache } from './data.js';

export interface DealsSize {
  deals: number;
  /** Open deals in the main pipeline: the board that is measured. */
  mainOpen: number;
}

export const FULL_DEALS: DealsSize = { deals: 50_000, mainOpen: 5_000 };

/** The fixed "today" of the data set: closed deals end before it, open ones expect to close around it. */
export const DEALS_NOW = Date.UTC(2026, 10, 15);
const DAY = 86_400_000;
const CLOSED_FROM = DEALS_NOW - 730 * DAY;

export interface BenchStage {
  id: string;
  kind: string;
}

export interface BenchPipeline {
  id: string;
  name: string;
  /** Live stages in order. */
  stages: BenchStage[];
}

/** How each pipeline's deals are made: its share of all deals, amounts and win rate. */
export interface PipelinePlan {
  pipeline: BenchPipeline;
  /** Share of the deals (the main pipeline's open deals come on top of its share's closed ones). */
  share: number;
  /** Share of this pipeline's deals that are still open (ignored for the main pipeline). */
  openShare: number;
  /** Share of closed deals that were won. */
  winShare: number;
  /** Amount range in major units (log-uniform). */
  minAmount: number;
  maxAmount: number;
}

export interface DealsIds {
  /** Open deals of the main pipeline with the index of their stage among its open stages. */
  mainOpen: { id: string; stage: number }[];
  total: number;
  open: number;
  won: number;
  lost: number;
  history: number;
  activities: number;
}

const SOURCES = ['Referral', 'Website', 'Event', 'Cold call', 'Partner', 'Newsletter'];
const LOST_REASONS = ['Price', 'Timing', 'Competitor', 'No budget', 'No decision', 'Went silent'];
const DEAL_TAGS = ['priority', 'key account', 'renewal due'];
const ACTIVITY_KINDS = ['call', 'call', 'email', 'meeting', 'other'];
const PRODUCTS = ['Retainer', 'Audit', 'Advisory', 'Licence', 'Implementation', 'Training', 'Support plan'];
/** Where lost deals drop out: the weight of each open stage (the last weight repeats). */
const LOST_AT = [0.35, 0.3, 0.2, 0.15];
/** How the main pipeline's open deals spread over its open stages (the last weight repeats). */
const OPEN_AT = [0.4, 0.28, 0.2, 0.12];

interface Stay {
  stage: number;
  enteredAt: number;
}

interface PlannedDeal {
  plan: PipelinePlan;
  id: string;
  createdAt: number;
  stays: Stay[];
  status: 'open' | 'won' | 'lost';
  closedAt: number | null;
  amount: number;
  currency: string;
  expectedClose: string | null;
  probability: number | null;
  ownerId: string;
  companyId: string | null;
  personIds: string[];
  source: string | null;
  lostReason: string | null;
  tag: string | null;
}

function weighted(rng: () => number, weights: readonly number[], n: number): number {
  const w = Array.from({ length: n }, (_, i) => weights[Math.min(i, weights.length - 1)]!);
  let r = rng() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    r -= w[i]!;
    if (r < 0) return i;
  }
  return n - 1;
}

/** A UUIDv7 for a given time, with seeded random bits. */
function idAt(rng: () => number, at: number): string {
  const random = new Uint8Array(16);
  for (let i = 0; i < 16; i++) random[i] = Math.floor(rng() * 256);
  return uuidv7({ msecs: at, random });
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Fills the deal tables. `users` are the possible owners, `companies` the companies deals may belong to (their
 * people are looked up in person_companies); both may be just the local user and nothing.
 */
export function generateDeals(
  sqlite: SqliteDatabase,
  plans: PipelinePlan[],
  users: string[],
  companies: string[],
  size: DealsSize,
): DealsIds {
  const rng = prng(SEED + 23);
  const stayDays = () => 1 + Math.floor(-Math.log(1 - rng()) * 9); // mean about 10 days
  const amountOf = (plan: PipelinePlan) =>
    Math.round(Math.exp(Math.log(plan.minAmount) + rng() * Math.log(plan.maxAmount / plan.minAmount)) / 10) * 1000;

  const peopleOf = sqlite.prepare('SELECT person_id FROM person_companies WHERE company_id = ? LIMIT 3');
  const tagIds = new Map(
    (
      sqlite
        .prepare(`SELECT id, name FROM tags WHERE name IN (${DEAL_TAGS.map(() => '?').join(', ')})`)
        .all(...DEAL_TAGS) as { id: string; name: string }[]
    ).map((t) => [t.name, t.id]),
  );

  const deals: PlannedDeal[] = [];
  const main = plans[0]!;
  const totalShare = plans.reduce((a, p) => a + p.share, 0);
  for (const plan of plans) {
    const open = plan.pipeline.stages.map((s, i) => ({ s, i })).filter((x) => x.s.kind === 'open');
    const wonIndex = plan.pipeline.stages.findIndex((s) => s.kind === 'won');
    const lostIndex = plan.pipeline.stages.findIndex((s) => s.kind === 'lost');
    const count = Math.round((size.deals * plan.share) / totalShare);
    const openCount = plan === main ? Math.min(size.mainOpen, count) : Math.round(count * plan.openShare);
    for (let n = 0; n < count; n++) {
      const isOpen = n < openCount;
      const won = !isOpen && rng() < plan.winShare;
      // The open stages it went through, in order.
      let path: number[];
      if (isOpen) {
        const at = plan === main ? weighted(rng, OPEN_AT, open.length) : Math.floor(rng() * open.length);
        path = open.slice(0, at + 1).map((x) => x.i);
      } else if (won) {
        path = open.filter((_, k) => k === 0 || k === open.length - 1 || rng() > 0.15).map((x) => x.i);
      } else {
        path = open.slice(0, weighted(rng, LOST_AT, open.length) + 1).map((x) => x.i);
      }
      // Some won deals were lost once and reopened.
      if (won && rng() < 0.03) path.push(lostIndex, path[path.length - 1]!);
      if (!isOpen) path.push(won ? wonIndex : lostIndex);

      // Times run backwards from the end: the close (spread over two years) or the current stay's start.
      const end = isOpen ? DEALS_NOW - Math.floor(rng() * 45 * DAY) : CLOSED_FROM + Math.floor(rng() * 730 * DAY);
      const stays: Stay[] = new Array<Stay>(path.length);
      let t = end;
      for (let k = path.length - 1; k >= 0; k--) {
        stays[k] = { stage: path[k]!, enteredAt: t };
        if (k > 0) t -= stayDays() * DAY + Math.floor(rng() * DAY);
      }
      const createdAt = stays[0]!.enteredAt;
      const closedAt = isOpen ? null : end;
      const expectedClose = isOpen
        ? rng() < 0.08
          ? null
          : day(DEALS_NOW + Math.floor((rng() * 315 - 45) * DAY))
        : rng() < 0.25
          ? null
          : day(end + Math.floor((rng() - 0.5) * 60 * DAY));
      const companyId = companies.length > 0 && rng() < 0.6 ? pick(rng, companies) : null;
      const personIds = companyId
        ? (peopleOf.all(companyId) as { person_id: string }[])
            .slice(0, 1 + Math.floor(rng() * 2))
            .map((p) => p.person_id)
        : [];
      deals.push({
        plan,
        id: '',
        createdAt,
        stays,
        status: isOpen ? 'open' : won ? 'won' : 'lost',
        closedAt,
        amount: amountOf(plan),
        currency: rng() < 0.25 ? 'USD' : 'EUR',
        expectedClose,
        probability: isOpen && rng() < 0.05 ? 5 + Math.floor(rng() * 19) * 5 : null,
        ownerId: pick(rng, users),
        companyId,
        personIds,
        source: rng() < 0.85 ? pick(rng, SOURCES) : null,
        lostReason: !isOpen && !won && rng() < 0.8 ? pick(rng, LOST_REASONS) : null,
        tag: rng() < 0.15 ? pick(rng, DEAL_TAGS) : null,
      });
    }
  }
  // Written in creation order, so the ids (UUIDv7) arrive in order as they do in use.
  deals.sort((a, b) => a.createdAt - b.createdAt);
  for (const d of deals) d.id = idAt(rng, d.createdAt);

  // Position within a column: deals.create and deals.move without a position put the card on top (the column's
  // smallest position minus one), so the latest to enter a column is first.
  const columns = new Map<string, PlannedDeal[]>();
  for (const d of deals) {
    const key = `${d.plan.pipeline.id}/${d.stays[d.stays.length - 1]!.stage}`;
    const column = columns.get(key) ?? [];
    column.push(d);
    columns.set(key, column);
  }
  const position = new Map<PlannedDeal, number>();
  for (const column of columns.values()) {
    column.sort((a, b) => a.stays[a.stays.length - 1]!.enteredAt - b.stays[b.stays.length - 1]!.enteredAt);
    column.forEach((d, i) => position.set(d, -i));
  }

  const insertDeal = sqlite.prepare(
    `INSERT INTO deals (id, title, pipeline_id, stage_id, position, amount, currency, expected_close_date, probability,
       company_id, source, custom, status, closed_at, lost_reason, stage_entered_at, last_activity_at,
       version, created_at, updated_at, created_by, owner_id, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL)`,
  );
  const insertPerson = sqlite.prepare('INSERT INTO deal_people (deal_id, person_id, position) VALUES (?, ?, ?)');
  const insertHistory = sqlite.prepare(
    `INSERT INTO deal_stage_history (id, deal_id, pipeline_id, stage_id, entered_at, entered_by, left_at, left_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTag = sqlite.prepare(
    "INSERT OR IGNORE INTO record_tags (entity, record_id, tag_id) VALUES ('deal', ?, ?)",
  );
  const insertActivity = sqlite.prepare(
    `INSERT INTO activities (id, kind, subject, body, occurred_at, duration_minutes, outcome, owner_id, version, created_at, updated_at, created_by)
     VALUES (?, ?, ?, '', ?, ?, NULL, ?, 1, ?, ?, ?)`,
  );
  const insertLink = sqlite.prepare(
    'INSERT OR IGNORE INTO links (item_type, item_id, record_type, record_id) VALUES (?, ?, ?, ?)',
  );
  const setLastActivity = sqlite.prepare('UPDATE deals SET last_activity_at = ? WHERE id = ?');

  const ids: DealsIds = { mainOpen: [], total: deals.length, open: 0, won: 0, lost: 0, history: 0, activities: 0 };
  withBigCache(sqlite, () => {
    for (const d of deals) {
      const { pipeline } = d.plan;
      const last = d.stays[d.stays.length - 1]!;
      const title = `${pick(rng, PRODUCTS)} ${pick(rng, WORDS)} ${d.id.slice(-4)}`;
      insertDeal.run(
        d.id,
        title,
        pipeline.id,
        pipeline.stages[last.stage]!.id,
        position.get(d)!,
        d.amount,
        d.currency,
        d.expectedClose,
        d.probability,
        d.companyId,
        d.source,
        d.status,
        d.closedAt,
        d.lostReason,
        last.enteredAt,
        d.stays.length,
        d.createdAt,
        last.enteredAt,
        d.ownerId,
        d.ownerId,
      );
      d.personIds.forEach((p, i) => insertPerson.run(d.id, p, i));
      d.stays.forEach((s, k) => {
        const next = d.stays[k + 1];
        insertHistory.run(
          idAt(rng, s.enteredAt),
          d.id,
          pipeline.id,
          pipeline.stages[s.stage]!.id,
          s.enteredAt,
          d.ownerId,
          next ? next.enteredAt : null,
          next ? d.ownerId : null,
        );
      });
      ids.history += d.stays.length;
      const tagId = d.tag ? tagIds.get(d.tag) : undefined;
      if (tagId) insertTag.run(d.id, tagId);

      // Activities during the deal's life, linked to it and its first person.
      if (rng() < 0.6) {
        const until = d.closedAt ?? DEALS_NOW;
        let latest = 0;
        for (let k = 1 + Math.floor(rng() * 3); k > 0; k--) {
          const at = d.createdAt + Math.floor(rng() * Math.max(1, until - d.createdAt));
          const id = idAt(rng, at);
          const kind = pick(rng, ACTIVITY_KINDS);
          insertActivity.run(
            id,
            kind,
            `${kind} about ${title}`,
            at,
            kind === 'email' ? null : 15,
            d.ownerId,
            at,
            at,
            d.ownerId,
          );
          insertLink.run('activity', id, 'deal', d.id);
          if (d.personIds[0]) insertLink.run('activity', id, 'person', d.personIds[0]);
          latest = Math.max(latest, at);
          ids.activities++;
        }
        setLastActivity.run(latest, d.id);
      }
      ids[d.status]++;
      if (pipeline === main.pipeline && d.status === 'open') {
        const openStages = pipeline.stages.filter((s) => s.kind === 'open');
        ids.mainOpen.push({ id: d.id, stage: openStages.findIndex((s) => s.id === pipeline.stages[last.stage]!.id) });
      }
    }
  });
  return ids;
}
