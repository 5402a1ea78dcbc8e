// The records of pipelines and deals as the API returns them (the renderer imports these types).

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export interface Stage {
  id: string;
  name: string;
  /** Position in the pipeline, from 0. */
  position: number;
  /** Win probability, 0–100. */
  probability: number;
  kind: StageKind;
  /** An open deal idle for more than this many days counts as stale; null: never. */
  staleDays: number | null;
}

export interface Pipeline {
  id: string;
  version: number;
  name: string;
  position: number;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Live stages in order. */
  stages: Stage[];
}

export interface Deal {
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  ownerId: string | null;
  deletedAt: number | null;
  title: string;
  pipelineId: string;
  stageId: string;
  /** Order within the stage's column (smaller first). */
  position: number;
  /** Integer minor units of `currency`. */
  amount: number;
  currency: string;
  /** YYYY-MM-DD */
  expectedCloseDate: string | null;
  /** Override of the stage's probability (0–100), or null. */
  probability: number | null;
  /** The override, or else the stage's probability. */
  effectiveProbability: number;
  companyId: string | null;
  /** Read only: the company's name. */
  companyName: string | null;
  personIds: string[];
  /** Read only: the linked people with their names, in personIds order. */
  people: { id: string; name: string }[];
  source: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  /** The kind of its stage. */
  status: StageKind;
  /** When it was won or lost (null while open). */
  closedAt: number | null;
  lostReason: string | null;
  /** When it entered its current stage. */
  stageEnteredAt: number;
  lastActivityAt: number | null;
  /** Open, and idle (no change, move or activity) for longer than its stage's staleDays. */
  stale: boolean;
}

export interface StageHistoryEntry {
  id: string;
  pipelineId: string;
  stageId: string;
  stageName: string;
  enteredAt: number;
  enteredBy: string | null;
  leftAt: number | null;
  leftBy: string | null;
}

export interface BoardColumn {
  stage: Stage;
  count: number;
  /** Sum of the column's amounts in the base currency, integer minor units. */
  total: number;
  /** Sum of amount × probability ÷ 100 in the base currency, rounded once to minor units. */
  weightedTotal: number;
  /** Deals whose currency has no exchange rate in force: left out of the totals. */
  unconverted: { currency: string; count: number }[];
  deals: Deal[];
  nextCursor: string | null;
}

export interface Board {
  pipeline: Pipeline;
  baseCurrency: string;
  columns: BoardColumn[];
}

export interface ExchangeRate {
  id: string;
  version: number;
  baseCurrency: string;
  currency: string;
  /** YYYY-MM-DD: in force from this day until the next rate of the currency. */
  effectiveDate: string;
  /** Decimal string: units of the base currency for one unit of `currency` (e.g. "1.0842"). */
  rate: string;
  createdAt: number;
  updatedAt: number;
}

export const RULE_TRIGGERS = ['enter', 'won', 'lost'] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

export type RuleAction =
  | { type: 'createTask'; title: string; dueInDays: number }
  | { type: 'setField'; field: string; value: string | number | boolean | null }
  | { type: 'addTag'; tag: string };

export interface AutomationRule {
  id: string;
  version: number;
  pipelineId: string;
  name: string;
  trigger: RuleTrigger;
  /** For `enter`: the stage; null for won/lost. */
  stageId: string | null;
  action: RuleAction;
  enabled: boolean;
  position: number;
  createdAt: number;
  updatedAt: number;
}
