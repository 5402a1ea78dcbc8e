// The small tables a report names things from: pipelines with their stages, and users' names.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { StageKind } from '../deals/types.js';

export interface CatalogStage {
  id: string;
  pipelineId: string;
  pipelineName: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
  /** The stage or its pipeline is archived: shown only when deals are in it. */
  archived: boolean;
}

/** Every stage, archived ones included, by pipeline position then stage position. */
export async function loadStages(db: Kysely<DB>): Promise<CatalogStage[]> {
  const rows = await db
    .selectFrom('pipeline_stages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipeline_id')
    .select([
      's.id',
      's.pipeline_id',
      'p.name as pipeline_name',
      's.name',
      's.position',
      's.probability',
      's.kind',
      's.archived_at',
      'p.archived_at as pipeline_archived_at',
    ])
    .orderBy('p.position')
    .orderBy('p.id')
    .orderBy('s.position')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pipelineId: r.pipeline_id,
    pipelineName: r.pipeline_name,
    name: r.name,
    position: r.position,
    probability: r.probability,
    kind: r.kind as StageKind,
    archived: r.archived_at !== null || r.pipeline_archived_at !== null,
  }));
}

/** The first live pipeline (by position), for reports about one pipeline when none is named. */
export async function firstPipelineId(db: Kysely<DB>): Promise<string | null> {
  const row = await db
    .selectFrom('pipelines')
    .select('id')
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Names of the given users (deleted ones too: a report may still count their deals). */
export async function userNames(db: Kysely<DB>, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
