// What the reports return (the renderer imports these types). Money is integer minor units of the base currency.
import type { StageKind } from '../deals/types.js';

/** Deals left out of money sums because their currency had no rate in force, by currency. */
export type Unconverted = { currency: string; count: number }[];

export interface PipelineReport {
  baseCurrency: string;
  stages: {
    pipelineId: string;
    pipelineName: string;
    stageId: string;
    name: string;
    kind: StageKind;
    probability: number;
    count: number;
    total: number;
    weightedTotal: number;
  }[];
  totals: { count: number; total: number; weightedTotal: number };
  unconverted: Unconverted;
}

export interface ForecastReport {
  baseCurrency: string;
  /** Every month from the first to the last with data (or the period's bounds), oldest first. */
  months: { month: string; openCount: number; open: number; weighted: number; wonCount: number; won: number }[];
  /** Open deals without an expected close date (only counted when no period is given). */
  undated: { openCount: number; open: number; weighted: number };
  unconverted: Unconverted;
}

export interface WinRateRow {
  won: number;
  lost: number;
  /** won / (won + lost), 0–1; null when there are none. */
  winRate: number | null;
}

export interface WinRateReport {
  baseCurrency: string;
  overall: WinRateRow;
  byOwner: (WinRateRow & { ownerId: string | null; ownerName: string | null; wonAmount: number })[];
  bySource: (WinRateRow & { source: string | null; wonAmount: number })[];
  unconverted: Unconverted;
}

export interface VelocityReport {
  baseCurrency: string;
  /** Open stages: the average days of a stay in each; `deals` counts stays (a deal back in a stage counts again). */
  stages: { stageId: string; name: string; averageDays: number | null; deals: number }[];
  averageCycleDays: number | null;
  openDeals: number;
  averageDealSize: number | null;
  winRate: number | null;
  /** Minor units per day; null when a factor is unknown. */
  velocity: number | null;
  unconverted: Unconverted;
}

export interface FunnelReport {
  pipelineId: string | null;
  stages: { stageId: string; name: string; reached: number; conversion: number | null }[];
}

export interface ActivityCounts {
  call: number;
  meeting: number;
  email: number;
  other: number;
}

export interface ActivityReport {
  byUser: (ActivityCounts & { userId: string | null; name: string | null; total: number })[];
  /** Every week (Monday, UTC) from the first to the last with activity (or the period's bounds), oldest first. */
  series: (ActivityCounts & { week: string })[];
}

export interface LostReasonsReport {
  baseCurrency: string;
  reasons: { reason: string | null; count: number; amount: number }[];
  unconverted: Unconverted;
}
