// pipelines.*: the sales processes deals move through, each an ordered list of stages.
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { shortText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB, PipelineStagesTable, PipelinesTable } from '../db/schema.js';
import { recordId, version } from '../records/schemas.js';
import { invalid, IssueList } from '../records/values.js';
import { STAGE_KINDS, type Pipeline, type Stage, type StageKind } from './types.js';
import type { Selectable } from 'kysely';

type PipelineRow = Selectable<PipelinesTable>;
type StageRow = Selectable<PipelineStagesTable>;

export function toStage(row: StageRow): Stage {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    probability: row.probability,
    kind: row.kind as StageKind,
    staleDays: row.stale_days,
  };
}

function toPipeline(row: PipelineRow, stages: StageRow[]): Pipeline {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    position: row.position,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stages: stages.filter((s) => s.archived_at === null).map(toStage),
  };
}

/** Pipelines (archived ones too when asked) with their live stages, in order. */
export async function loadPipelines(db: Kysely<DB>, includeArchived = false, id?: string): Promise<Pipeline[]> {
  let query = db.selectFrom('pipelines').selectAll().orderBy('position').orderBy('id');
  if (!includeArchived) query = query.where('archived_at', 'is', null);
  if (id) query = query.where('id', '=', id);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const stages = await db
    .selectFrom('pipeline_stages')
    .selectAll()
    .where(
      'pipeline_id',
      'in',
      rows.map((r) => r.id),
    )
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
  return rows.map((row) =>
    toPipeline(
      row,
      stages.filter((s) => s.pipeline_id === row.id),
    ),
  );
}

export async function findPipeline(db: Kysely<DB>, id: string): Promise<Pipeline> {
  const [pipeline] = await loadPipelines(db, true, id);
  if (!pipeline) throw new HearthError('NOT_FOUND', 'There is no pipeline with this id.', { id });
  return pipeline;
}

/** A stage with its pipeline id, archived ones included (history and reports still name them). */
export async function findStage(db: Kysely<DB>, id: string): Promise<StageRow | undefined> {
  return db.selectFrom('pipeline_stages').selectAll().where('id', '=', id).executeTakeFirst();
}

const stageInput = z
  .object({
    id: recordId().optional(),
    name: shortText(),
    probability: z.number().int().min(0).max(100),
    kind: z.enum(STAGE_KINDS),
    staleDays: z.number().int().min(1).max(3650).nullable().optional(),
    /** Ignored (the list's order is the order): lets a caller send back the stages it read. */
    position: z.number().int().optional(),
  })
  .strict();
type StageInput = z.infer<typeof stageInput>;

const stagesInput = () => z.array(stageInput).min(2).max(30);

/** Checks a pipeline's stage list: names, at least one open stage, exactly one won and one lost stage. */
function checkStages(stages: StageInput[], base: string, known: Set<string> | null): void {
  const issues = new IssueList();
  const names = new Set<string>();
  stages.forEach((stage, i) => {
    const name = stage.name.trim();
    if (!name) issues.add(`${base}.${i}.name`, 'a stage needs a name');
    else if (names.has(name.toLowerCase())) issues.add(`${base}.${i}.name`, 'another stage has this name');
    names.add(name.toLowerCase());
    if (stage.id !== undefined && (known === null || !known.has(stage.id)))
      issues.add(`${base}.${i}.id`, 'there is no stage with this id in this pipeline');
    if (stage.kind !== 'open' && stage.staleDays) issues.add(`${base}.${i}.staleDays`, 'only open stages go stale');
  });
  const count = (kind: StageKind) => stages.filter((s) => s.kind === kind).length;
  if (count('open') === 0) issues.add(base, 'a pipeline needs at least one open stage');
  if (count('won') !== 1) issues.add(base, 'a pipeline needs exactly one won stage');
  if (count('lost') !== 1) issues.add(base, 'a pipeline needs exactly one lost stage');
  issues.throwIfAny();
}

function stageRow(pipelineId: string, stage: StageInput, position: number): StageRow {
  return {
    id: stage.id ?? uuidv7(),
    pipeline_id: pipelineId,
    name: stage.name.trim(),
    position,
    probability: stage.probability,
    kind: stage.kind,
    stale_days: stage.kind === 'open' ? (stage.staleDays ?? null) : null,
    archived_at: null,
  };
}

function auditShape(pipeline: Pipeline): Record<string, unknown> {
  return { ...pipeline };
}

export const pipelinesList = defineProcedure({
  name: 'pipelines.list',
  summary: 'The pipelines with their stages, in order; archived ones only with includeArchived.',
  input: z.object({ includeArchived: z.boolean().optional() }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: Pipeline[] }> {
    return { items: await loadPipelines(ctx.db, input.includeArchived ?? false) };
  },
});

export const pipelinesCreate = defineProcedure({
  name: 'pipelines.create',
  summary:
    'Adds a pipeline with its stages in order (name, probability 0–100, kind open/won/lost, staleDays): at least one open stage, exactly one won and one lost.',
  input: z.object({ name: shortText(), stages: stagesInput() }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, input): Promise<Pipeline> {
    const name = input.name.trim();
    const issues = new IssueList();
    if (!name) issues.add('name', 'a pipeline needs a name');
    issues.throwIfAny();
    checkStages(input.stages, 'stages', null);
    const id = uuidv7();
    const last = await ctx.db
      .selectFrom('pipelines')
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst();
    await ctx.db
      .insertInto('pipelines')
      .values({
        id,
        name,
        position: Number(last?.max ?? -1) + 1,
        archived_at: null,
        version: 1,
        created_at: ctx.now,
        updated_at: ctx.now,
        created_by: ctx.actor.userId,
        owner_id: ctx.actor.userId,
      })
      .execute();
    await ctx.db
      .insertInto('pipeline_stages')
      .values(input.stages.map((s, i) => stageRow(id, { ...s, id: undefined }, i)))
      .execute();
    const pipeline = await findPipeline(ctx.db, id);
    ctx.recordChange({ entity: 'pipeline', id, action: 'create', version: 1, after: auditShape(pipeline) });
    return pipeline;
  },
});

async function writePipeline(
  ctx: CallContext,
  current: Pipeline,
  expected: number,
  values: { name?: string; archived_at?: number | null; position?: number },
): Promise<void> {
  const result = await ctx.db
    .updateTable('pipelines')
    .set({ ...values, updated_at: ctx.now, version: expected + 1 })
    .where('id', '=', current.id)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n)
    throw new HearthError('CONFLICT', 'Someone else changed this pipeline since you read it.', { current });
}

export const pipelinesUpdate = defineProcedure({
  name: 'pipelines.update',
  summary:
    'Renames a pipeline or replaces its stage list (existing stages keep their id; a stage left out is removed, which is refused while deals are in it). Names the version it read.',
  input: z
    .object({
      id: recordId(),
      version: version(),
      patch: z
        .object({ name: shortText(), stages: stagesInput(), position: z.number().int().min(0) })
        .partial()
        .strict(),
    })
    .strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Pipeline> {
    const current = await findPipeline(ctx.db, id);
    if (current.version !== expected)
      throw new HearthError('CONFLICT', 'Someone else changed this pipeline since you read it.', { current });
    const issues = new IssueList();
    const name = patch.name?.trim();
    if (patch.name !== undefined && !name) issues.add('patch.name', 'a pipeline needs a name');
    issues.throwIfAny();
    if (patch.stages) {
      const known = new Set(current.stages.map((s) => s.id));
      checkStages(patch.stages, 'patch.stages', known);
      const kept = new Set(patch.stages.flatMap((s) => (s.id ? [s.id] : [])));
      const removed = current.stages.filter((s) => !kept.has(s.id));
      if (removed.length > 0) {
        const inUse = await ctx.db
          .selectFrom('deals')
          .select(['stage_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'stage_id',
            'in',
            removed.map((s) => s.id),
          )
          .groupBy('stage_id')
          .execute();
        for (const row of inUse) {
          const stage = removed.find((s) => s.id === row.stage_id)!;
          issues.add(
            'patch.stages',
            `the stage "${stage.name}" still holds ${row.n} deal${Number(row.n) === 1 ? '' : 's'} (the trash included); move them first`,
          );
        }
        issues.throwIfAny();
        await ctx.db
          .updateTable('pipeline_stages')
          .set({ archived_at: ctx.now })
          .where(
            'id',
            'in',
            removed.map((s) => s.id),
          )
          .execute();
      }
      for (const [i, stage] of patch.stages.entries()) {
        const row = stageRow(id, stage, i);
        if (stage.id) {
          const { id: stageId, pipeline_id: _p, archived_at: _a, ...values } = row;
          await ctx.db.updateTable('pipeline_stages').set(values).where('id', '=', stageId).execute();
        } else {
          await ctx.db.insertInto('pipeline_stages').values(row).execute();
        }
      }
      // A stage whose kind changed moves its deals' status with it.
      for (const stage of patch.stages) {
        const before = current.stages.find((s) => s.id === stage.id);
        if (before && before.kind !== stage.kind) {
          await ctx.db
            .updateTable('deals')
            .set({ status: stage.kind, closed_at: stage.kind === 'open' ? null : ctx.now })
            .where('stage_id', '=', stage.id!)
            .execute();
        }
      }
    }
    await writePipeline(ctx, current, expected, {
      ...(name !== undefined ? { name } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
    });
    const pipeline = await findPipeline(ctx.db, id);
    ctx.recordChange({
      entity: 'pipeline',
      id,
      action: 'update',
      version: pipeline.version,
      before: auditShape(current),
      after: auditShape(pipeline),
    });
    return pipeline;
  },
});

export const pipelinesArchive = defineProcedure({
  name: 'pipelines.archive',
  summary:
    'Archives a pipeline (archived: true; it leaves the board and new deals, its deals stay) or brings it back (archived: false). The last live pipeline cannot be archived.',
  input: z.object({ id: recordId(), archived: z.boolean().default(true) }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id, archived }): Promise<Pipeline> {
    const current = await findPipeline(ctx.db, id);
    if ((current.archivedAt !== null) === archived) return current;
    if (archived) {
      const live = await loadPipelines(ctx.db);
      if (live.length <= 1) throw invalid('id', 'the last pipeline cannot be archived');
    }
    await writePipeline(ctx, current, current.version, { archived_at: archived ? ctx.now : null });
    const pipeline = await findPipeline(ctx.db, id);
    ctx.recordChange({
      entity: 'pipeline',
      id,
      action: 'update',
      version: pipeline.version,
      before: { archivedAt: current.archivedAt },
      after: { archivedAt: pipeline.archivedAt },
    });
    return pipeline;
  },
});
