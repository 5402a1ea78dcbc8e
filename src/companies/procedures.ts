// companies.*: the organisations people belong to.
import { sql, type Kysely, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { mediumText, shortText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { applyCustom, definitionsFor } from '../fields/definitions.js';
import { bulkApply, bulkDelete, bulkIds, changeTags, setTags } from '../records/lifecycle.js';
import {
  col,
  conditionFor,
  enumOrder,
  listInputShape,
  numberField,
  runList,
  textField,
  type ListField,
  type ListSpec,
} from '../records/list-query.js';
import { addressColumns, addressInput, changedColumns, customInput, recordId, version } from '../records/schemas.js';
import { cleanText, IssueList, normalizeDomain, normalizePhone, normalizeUrl } from '../records/values.js';
import { auditUpdate, checkEditable, listPage, mustFindBy, trashableProcedures } from '../records/record-procedures.js';
import { phoneRegion } from '../settings/repository.js';
import { tagList, tagName } from '../tags/repository.js';
import { checkUser } from '../users/procedures.js';
import {
  auditShape,
  COMPANY_SIZES,
  findCompany,
  findCompanyRow,
  toCompanies,
  writeDomains,
  type Company,
  type CompanyRow,
} from './repository.js';

const companyFields = z
  .object({
    name: shortText(),
    domains: z.array(shortText()).max(20),
    industry: shortText().nullable(),
    size: z.enum(COMPANY_SIZES).nullable(),
    phone: shortText().nullable(),
    address: addressInput().nullable(),
    website: mediumText().nullable(),
    ownerId: recordId().nullable(),
    tags: tagList(),
    custom: customInput(),
  })
  .partial()
  .strict();
type CompanyFields = z.infer<typeof companyFields>;

interface NormalizedCompany {
  row: Omit<CompanyRow, 'id' | 'version' | 'created_at' | 'created_by' | 'last_activity_at' | 'deleted_at'>;
  domains: string[];
  tags: string[];
}

async function normalizeCompany(
  ctx: CallContext,
  fields: CompanyFields,
  current: Company | null,
  base: string,
): Promise<NormalizedCompany> {
  const issues = new IssueList();
  const region = await phoneRegion(ctx.db);
  const at = (key: string) => `${base}${key}`;

  const name = (fields.name ?? current?.name ?? '').trim();
  if (!name) issues.add(at('name'), 'a company needs a name');

  const domains: string[] = [];
  (fields.domains ?? current?.domains ?? []).forEach((d, i) => {
    const domain = issues.check(() => normalizeDomain(d, at(`domains.${i}`)));
    if (domain === undefined) return;
    if (domains.includes(domain)) issues.add(at(`domains.${i}`), 'this domain is listed twice');
    else domains.push(domain);
  });

  let phone = fields.phone !== undefined ? cleanText(fields.phone) : (current?.phone ?? null);
  if (phone && fields.phone !== undefined)
    phone = issues.check(() => normalizePhone(phone!, region, at('phone'))) ?? phone;

  let website = fields.website !== undefined ? cleanText(fields.website) : (current?.website ?? null);
  if (website && fields.website !== undefined)
    website = issues.check(() => normalizeUrl(website!, at('website'))) ?? website;

  const ownerId = fields.ownerId !== undefined ? fields.ownerId : (current?.ownerId ?? ctx.actor.userId);
  await issues.checkAsync(() => checkUser(ctx.db, fields.ownerId, at('ownerId')));

  const defs = await definitionsFor(ctx.db, 'company');
  const custom =
    issues.check(() => applyCustom(defs, fields.custom, current ? current.custom : null, region, at('custom'))) ?? {};

  issues.throwIfAny();
  return {
    row: {
      name,
      domains: JSON.stringify(domains),
      primary_domain: domains[0] ?? null,
      industry: fields.industry !== undefined ? cleanText(fields.industry) : (current?.industry ?? null),
      size: fields.size !== undefined ? fields.size : (current?.size ?? null),
      phone,
      ...addressColumns(fields.address, current?.address),
      website,
      custom: JSON.stringify(custom),
      owner_id: ownerId,
      updated_at: ctx.now,
    },
    domains,
    tags: fields.tags ?? current?.tags ?? [],
  };
}

const mustFind = mustFindBy(findCompany, 'There is no company with this id.');
/** The stored row, for writing only what an update changes. */
const storedRow = mustFindBy(findCompanyRow, 'There is no company with this id.');

export const companiesCreate = defineProcedure({
  name: 'companies.create',
  summary: 'Adds a company. Needs a name; domains are stored bare (example.com), the phone in E.164.',
  input: companyFields,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Company> {
    const normalized = await normalizeCompany(ctx, input, null, '');
    const id = uuidv7();
    await ctx.db
      .insertInto('companies')
      .values({
        ...normalized.row,
        id,
        version: 1,
        created_at: ctx.now,
        created_by: ctx.actor.userId,
        last_activity_at: null,
        deleted_at: null,
      })
      .execute();
    await writeDomains(ctx.db, id, normalized.domains, true);
    await setTags(ctx, 'company', id, normalized.tags, true);
    const company = await mustFind(ctx.db, id);
    ctx.recordChange({ entity: 'company', id, action: 'create', version: 1, after: auditShape(company) });
    return company;
  },
});

const lifecycle = trashableProcedures({
  prefix: 'companies',
  table: 'companies',
  entity: 'company',
  find: mustFind,
  summaries: {
    get: 'One company by id (a company in the trash is returned with deletedAt set).',
    delete: 'Moves a company to the trash (companies.restore brings it back). Its people stay.',
    restore: 'Brings a company back from the trash.',
  },
});

export const companiesGet = lifecycle.get;

const STALE_COMPANY = 'Someone else changed this company since you read it.';

export const companiesUpdate = defineProcedure({
  name: 'companies.update',
  summary: 'Changes a company. Names the version it read; a stale version fails with CONFLICT and the current company.',
  input: z.object({ id: recordId(), version: version(), patch: companyFields }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Company> {
    // One read serves both: the Company for the checks and the audit, the row for writing only what changed.
    const stored = await storedRow(ctx.db, id);
    const [current] = (await toCompanies(ctx.db, [stored])) as [Company];
    checkEditable(current, expected, {
      trashed: 'This company is in the trash; restore it before editing.',
      stale: STALE_COMPANY,
    });
    const normalized = await normalizeCompany(ctx, patch, current, 'patch.');
    const result = await ctx.db
      .updateTable('companies')
      .set({ ...changedColumns(stored, normalized.row), version: expected + 1 })
      .where('id', '=', id)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new HearthError('CONFLICT', STALE_COMPANY, { current });
    if (patch.domains) await writeDomains(ctx.db, id, normalized.domains);
    if (patch.tags) await setTags(ctx, 'company', id, normalized.tags);
    const company = await mustFind(ctx.db, id);
    auditUpdate(ctx, 'company', current, company, auditShape);
    return company;
  },
});

export const companiesDelete = lifecycle.delete;

export const companiesRestore = lifecycle.restore;

export const COMPANIES_LIST: ListSpec = {
  table: 'companies',
  entity: 'company',
  tagged: true,
  defaultSort: [{ field: 'name', dir: 'asc' }],
  // The partial indexes of migrations/0002_records.ts.
  indexedSorts: {
    name: 'companies_name',
    updatedAt: 'companies_updated_at',
    createdAt: 'companies_created_at',
    lastActivityAt: 'companies_last_activity',
  },
  fields: {
    name: textField('companies', 'name', false),
    domain: {
      kind: 'text',
      expr: col('companies', 'primary_domain'),
      sortable: true,
      nullable: true,
      filter: (op, value, path) => {
        if (op === 'isEmpty')
          return conditionFor(col('companies', 'primary_domain'), { kind: 'text' }, op, value, path);
        const match = conditionFor(sql`cd.domain`, { kind: 'text' }, op === 'neq' ? 'eq' : op, value, path);
        const any = sql<SqlBool>`companies.id IN (SELECT cd.company_id FROM company_domains cd WHERE ${match})`;
        return op === 'neq' ? sql<SqlBool>`NOT ${any}` : any;
      },
    },
    industry: textField('companies', 'industry'),
    size: {
      kind: 'enum',
      expr: col('companies', 'size'),
      sortExpr: enumOrder(col('companies', 'size'), COMPANY_SIZES),
      values: COMPANY_SIZES,
      sortable: true,
      nullable: true,
    },
    phone: textField('companies', 'phone'),
    website: textField('companies', 'website'),
    ownerId: { kind: 'id', expr: col('companies', 'owner_id'), sortable: true, nullable: true },
    'address.city': textField('companies', 'address_city'),
    'address.country': textField('companies', 'address_country'),
    createdAt: numberField('companies', 'created_at', false),
    updatedAt: numberField('companies', 'updated_at', false),
    lastActivityAt: numberField('companies', 'last_activity_at'),
  } satisfies Record<string, ListField>,
};

export const companiesList = defineProcedure({
  name: 'companies.list',
  summary:
    'Companies matching every filter ({ field, op, value } on standard fields, custom.<key> or tag), sorted, one page at a time (keyset cursor).',
  input: z.object(listInputShape).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: Company[]; nextCursor: string | null; total?: number }> {
    const defs = await definitionsFor(ctx.db, 'company');
    const page = await runList<CompanyRow>(ctx.db, COMPANIES_LIST, input, defs);
    return listPage(page, (rows) => toCompanies(ctx.db, rows));
  },
});

async function loadLive(db: Kysely<DB>, ids: string[]): Promise<CompanyRow[]> {
  return db.selectFrom('companies').selectAll().where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export const companiesBulkUpdate = defineProcedure({
  name: 'companies.bulkUpdate',
  summary: 'Sets the owner, industry, size or custom values of many companies, and adds or removes tags.',
  input: z
    .object({
      ids: bulkIds(),
      patch: z
        .object({
          ownerId: recordId().nullable(),
          industry: shortText().nullable(),
          size: z.enum(COMPANY_SIZES).nullable(),
          addTags: z.array(tagName()).max(100),
          removeTags: z.array(tagName()).max(100),
          custom: customInput(),
        })
        .partial()
        .strict(),
    })
    .strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { ids, patch }): Promise<{ updated: number }> {
    const { addTags = [], removeTags = [], ...fields } = patch;
    // The rows each batch was loaded from, so an update writes only what changed without reading them again.
    const stored = new Map<string, CompanyRow>();
    const updated = await bulkApply(ctx, {
      ids,
      table: 'companies',
      entity: 'company',
      load: async (batch) => {
        const rows = await loadLive(ctx.db, batch);
        for (const row of rows) stored.set(row.id, row);
        return toCompanies(ctx.db, rows);
      },
      apply: async (company) => {
        const normalized = await normalizeCompany(ctx, fields, company, 'patch.');
        await ctx.db
          .updateTable('companies')
          .set({ ...changedColumns(stored.get(company.id)!, normalized.row), version: company.version + 1 })
          .where('id', '=', company.id)
          .execute();
      },
      tags: (batch) => changeTags(ctx, 'company', batch, addTags, removeTags),
      audit: auditShape,
      touchesRow: Object.keys(fields).length > 0,
      touchesTags: addTags.length > 0 || removeTags.length > 0,
    });
    return { updated };
  },
});

export const companiesBulkDelete = defineProcedure({
  name: 'companies.bulkDelete',
  summary: 'Moves many companies to the trash at once.',
  input: z.object({ ids: bulkIds() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { ids }): Promise<{ deleted: number }> {
    return { deleted: await bulkDelete(ctx, 'companies', 'company', ids) };
  },
});
