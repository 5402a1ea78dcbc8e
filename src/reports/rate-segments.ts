// Grouping closed deals by the stretch of time in which every exchange rate stays the same, so SQL can sum a
// currency's amounts per stretch and each sum is converted once, exactly (instead of one group per close day).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Rates } from '../deals/money.js';

/** Before any rate is in force: only the base currency converts. */
const BEFORE_ALL_RATES = '0000-01-01';

export interface RateSegments {
  /** SQL (alias `d`): NULL for an open deal, else the number of the stretch its close time falls in. */
  readonly expr: RawBuilder<number | null>;
  /** The day whose rates apply to a group: today for open deals (segment NULL), else the stretch's first day. */
  dayOf(segment: number | null, today: string): string;
}

export async function rateSegments(db: Kysely<DB>, rates: Rates): Promise<RateSegments> {
  const rows = await db
    .selectFrom('exchange_rates')
    .select('effective_date')
    .distinct()
    .where('base_currency', '=', rates.base)
    .orderBy('effective_date')
    .execute();
  const days = rows.map((r) => r.effective_date).filter((day) => Number.isFinite(Date.parse(`${day}T00:00:00Z`)));
  const starts = days.map((day) => Date.parse(`${day}T00:00:00Z`));

  // A balanced CASE tree: each row needs log2(rate days) comparisons. Only integers computed here reach the text.
  const tree = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = Math.ceil((lo + hi) / 2);
    return `CASE WHEN d.closed_at >= ${starts[mid - 1]} THEN ${tree(mid, hi)} ELSE ${tree(lo, mid - 1)} END`;
  };
  return {
    expr: sql<number | null>`CASE WHEN d.status = 'open' THEN NULL ELSE ${sql.raw(tree(0, days.length))} END`,
    dayOf(segment, today) {
      if (segment === null) return today;
      return segment === 0 ? BEFORE_ALL_RATES : days[segment - 1]!;
    },
  };
}
