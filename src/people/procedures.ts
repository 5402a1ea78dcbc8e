// people.*: the contacts a firm knows, with their emails, phones, companies, tags, custom fields and consent.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
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
  listInputShape,
  numberField,
  runList,
  textField,
  type ListField,
  type ListSpec,
} from '../records/list-query.js';
import {
  addressColumns,
  addressInput,
  changedColumns,
  customInput,
  recordId,
  toAddress,
  version,
} from '../records/schemas.js';
import { cleanText, invalid, IssueList, normalizeEmail, normalizePhone, normalizeUrl } from '../records/values.js';
import { auditUpdate, checkEditable, listPage, mustFindBy, trashableProcedures } from '../records/record-procedures.js';
import { phoneRegion } from '../settings/repository.js';
import { tagList, tagName } from '../tags/repository.js';
import { checkUser } from '../users/procedures.js';
import {
  auditShape,
  findPerson,
  findPersonRow,
  LEGAL_BASES,
  LIFECYCLE_STAGES,
  personFromRow,
  toPeople,
  writeCompanies,
  writeEmails,
  type Person,
  type PersonEmail,
  type PersonPhone,
  type PersonRow,
} from './repository.js';

const label = shortText().nullable().optional();

const personFields = z
  .object({
    firstName: shortText(),
    lastName: shortText(),
    emails: z.array(z.object({ address: shortText(), label, primary: z.boolean().optional() }).strict()).max(20),
    phones: z.array(z.object({ number: shortText(), label, primary: z.boolean().optional() }).strict()).max(20),
    title: shortText().nullable(),
    companies: z.array(z.object({ companyId: recordId(), role: shortText().nullable().optional() }).strict()).max(50),
    address: addressInput().nullable(),
    website: mediumText().nullable(),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).nullable(),
    source: shortText().nullable(),
    ownerId: recordId().nullable(),
    tags: tagList(),
    custom: customInput(),
    consent: z
      .object({
        marketing: z.boolean(),
        at: z.number().int().min(0).nullable().optional(),
        basis: z.enum(LEGAL_BASES).nullable().optional(),
      })
      .strict(),
  })
  .partial()
  .strict();
type PersonFields = z.infer<typeof personFields>;

/** Primary flags: at most one marked; none marked makes the first one primary. */
function withPrimary<T extends { primary?: boolean | undefined }>(items: T[], path: string, issues: IssueList) {
  const marked = items.filter((i) => i.primary === true).length;
  if (marked > 1) issues.add(path, 'only one can be primary');
  const primaryIndex = Math.max(
    0,
    items.findIndex((i) => i.primary === true),
  );
  return items.map((item, i) => ({ ...item, primary: i === primaryIndex }));
}

interface NormalizedPerson {
  row: Omit<PersonRow, 'id' | 'version' | 'created_at' | 'created_by' | 'last_activity_at' | 'deleted_at'>;
  emails: PersonEmail[];
  companies: { companyId: string; role: string | null }[];
  /** Names of the companies the call named, by id. */
  companyNames: Map<string, string>;
  tags: string[];
}

/** Checks a person's fields (all of them, on the merged record) and produces what is stored. */
async function normalizePerson(
  ctx: CallContext,
  fields: PersonFields,
  current: Person | null,
  base: string,
): Promise<NormalizedPerson> {
  const issues = new IssueList();
  const region = await phoneRegion(ctx.db);
  const at = (key: string) => `${base}${key}`;

  // Stored lists were checked when written; only lists the call sends are checked again.
  const emails: PersonEmail[] =
    !fields.emails && current
      ? current.emails
      : withPrimary(
          (fields.emails ?? []).map((e, i) => ({
            address: issues.check(() => normalizeEmail(e.address, at(`emails.${i}.address`))) ?? e.address,
            label: cleanText(e.label),
            primary: e.primary,
          })),
          at('emails'),
          issues,
        );
  const seenEmails = new Set<string>();
  emails.forEach((e, i) => {
    if (seenEmails.has(e.address)) issues.add(at(`emails.${i}.address`), 'this address is listed twice');
    seenEmails.add(e.address);
  });

  const phones: PersonPhone[] =
    !fields.phones && current
      ? current.phones
      : withPrimary(
          (fields.phones ?? []).map((p, i) => ({
            number: issues.check(() => normalizePhone(p.number, region, at(`phones.${i}.number`))) ?? p.number,
            label: cleanText(p.label),
            primary: p.primary,
          })),
          at('phones'),
          issues,
        );

  const firstName = (fields.firstName ?? current?.firstName ?? '').trim();
  const lastName = (fields.lastName ?? current?.lastName ?? '').trim();
  if (!firstName && !lastName && emails.length === 0) {
    issues.add(at('firstName'), 'a person needs a first name, a last name or an email address');
  }

  let website = fields.website !== undefined ? cleanText(fields.website) : (current?.website ?? null);
  if (website && fields.website !== undefined)
    website = issues.check(() => normalizeUrl(website!, at('website'))) ?? website;

  const companies = (fields.companies ?? current?.companies ?? []).map((c) => ({
    companyId: c.companyId,
    role: cleanText(c.role),
  }));
  const companyIds = companies.map((c) => c.companyId);
  if (new Set(companyIds).size !== companyIds.length) issues.add(at('companies'), 'a company is listed twice');
  // The names of the companies the call names (live ones only): a new person is answered without reading back.
  const companyNames = new Map<string, string>();
  if (fields.companies && companyIds.length > 0) {
    const found = await ctx.db
      .selectFrom('companies')
      .select(['id', 'name'])
      .where('id', 'in', companyIds)
      .where('deleted_at', 'is', null)
      .execute();
    for (const company of found) companyNames.set(company.id, company.name);
    companyIds.forEach((id, i) => {
      if (!companyNames.has(id)) issues.add(at(`companies.${i}.companyId`), 'there is no company with this id');
    });
  }

  const ownerId = fields.ownerId !== undefined ? fields.ownerId : (current?.ownerId ?? ctx.actor.userId);
  await issues.checkAsync(() => checkUser(ctx.db, fields.ownerId, at('ownerId')));

  const defs = await definitionsFor(ctx.db, 'person');
  const custom =
    issues.check(() => applyCustom(defs, fields.custom, current ? current.custom : null, region, at('custom'))) ?? {};

  const consentIn = fields.consent;
  const consent = consentIn
    ? {
        marketing: consentIn.marketing,
        at: consentIn.at ?? (consentIn.marketing ? ctx.now : null),
        basis: consentIn.basis ?? null,
      }
    : (current?.consent ?? { marketing: false, at: null, basis: null });

  issues.throwIfAny();
  const primaryEmail = emails.find((e) => e.primary)?.address ?? null;
  const primaryPhone = phones.find((p) => p.primary)?.number ?? null;
  return {
    row: {
      first_name: firstName,
      last_name: lastName,
      title: fields.title !== undefined ? cleanText(fields.title) : (current?.title ?? null),
      emails: JSON.stringify(emails),
      phones: JSON.stringify(phones),
      primary_email: primaryEmail,
      primary_phone: primaryPhone,
      ...addressColumns(fields.address, current?.address ?? toAddress(EMPTY_ADDRESS_ROW)),
      website,
      lifecycle_stage: fields.lifecycleStage !== undefined ? fields.lifecycleStage : (current?.lifecycleStage ?? null),
      source: fields.source !== undefined ? cleanText(fields.source) : (current?.source ?? null),
      consent_marketing: consent.marketing ? 1 : 0,
      consent_at: consent.at,
      consent_basis: consent.basis,
      custom: JSON.stringify(custom),
      owner_id: ownerId,
      updated_at: ctx.now,
    },
    emails,
    companies,
    companyNames,
    tags: fields.tags ?? current?.tags ?? [],
  };
}

const EMPTY_ADDRESS_ROW = {
  address_street: null,
  address_city: null,
  address_region: null,
  address_postal_code: null,
  address_country: null,
};

const mustFind = mustFindBy(findPerson, 'There is no person with this id.');
/** The stored row, for writing only what an update changes. */
const storedRow = mustFindBy(findPersonRow, 'There is no person with this id.');
const STALE_PERSON = 'Someone else changed this person since you read them.';

export const peopleCreate = defineProcedure({
  name: 'people.create',
  summary:
    'Adds a person. Needs a first name, last name or email; phones are stored in E.164; unknown tags are created.',
  input: personFields,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Person> {
    const normalized = await normalizePerson(ctx, input, null, '');
    const row: PersonRow = {
      ...normalized.row,
      id: uuidv7(),
      version: 1,
      created_at: ctx.now,
      created_by: ctx.actor.userId,
      last_activity_at: null,
      deleted_at: null,
    };
    const id = row.id;
    await ctx.db.insertInto('people').values(row).execute();
    await writeEmails(ctx.db, id, normalized.emails, true);
    await writeCompanies(ctx.db, id, normalized.companies, true);
    const tags = await setTags(ctx, 'person', id, normalized.tags, true);
    // Answered from what was written (tests/people.test.ts checks it equals people.get), not read back.
    const person = personFromRow(
      row,
      tags,
      normalized.companies.map((c) => ({
        companyId: c.companyId,
        name: normalized.companyNames.get(c.companyId)!,
        role: c.role,
      })),
    );
    ctx.recordChange({ entity: 'person', id, action: 'create', version: 1, after: auditShape(person) });
    return person;
  },
});

const lifecycle = trashableProcedures({
  prefix: 'people',
  table: 'people',
  entity: 'person',
  find: mustFind,
  summaries: {
    get: 'One person by id (a person in the trash is returned with deletedAt set).',
    delete: 'Moves a person to the trash (people.restore brings them back).',
    restore: 'Brings a person back from the trash.',
  },
});

export const peopleGet = lifecycle.get;

export const peopleUpdate = defineProcedure({
  name: 'people.update',
  summary: 'Changes a person. Names the version it read; a stale version fails with CONFLICT and the current person.',
  input: z.object({ id: recordId(), version: version(), patch: personFields }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Person> {
    // One read serves both: the Person for the checks and the audit, the row for writing only what changed.
    const stored = await storedRow(ctx.db, id);
    const [current] = (await toPeople(ctx.db, [stored])) as [Person];
    checkEditable(current, expected, {
      trashed: 'This person is in the trash; restore them before editing.',
      stale: STALE_PERSON,
    });
    const normalized = await normalizePerson(ctx, patch, current, 'patch.');
    const result = await ctx.db
      .updateTable('people')
      .set({ ...changedColumns(stored, normalized.row), version: expected + 1 })
      .where('id', '=', id)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) {
      throw new HearthError('CONFLICT', STALE_PERSON, { current });
    }
    if (patch.emails) await writeEmails(ctx.db, id, normalized.emails);
    if (patch.companies) await writeCompanies(ctx.db, id, normalized.companies);
    if (patch.tags) await setTags(ctx, 'person', id, normalized.tags);
    const person = await mustFind(ctx.db, id);
    auditUpdate(ctx, 'person', current, person, auditShape);
    return person;
  },
});

export const peopleDelete = lifecycle.delete;

export const peopleRestore = lifecycle.restore;

const text = textField;
const number = numberField;

/**
 * People whose name (or emails) contain `value`, from the trigram index (people_text): three characters or more,
 * any case, accents ignored (so "muller" finds Müller). Shorter text falls back to LIKE.
 */
function textIndexed(column: 'name' | 'emails', value: string): RawBuilder<SqlBool> {
  const phrase = `${column} : "${value.trim().replace(/"/g, '""')}"`;
  return sql<SqlBool>`people.rowid IN (SELECT rowid FROM people_text WHERE people_text MATCH ${phrase})`;
}

const peopleFields: Record<string, ListField> = {
  firstName: text('people', 'first_name', false),
  lastName: text('people', 'last_name', false),
  name: {
    kind: 'text',
    sortable: false,
    selective: true,
    filter: (op, value, path) => {
      // Concatenation drops the columns' NOCASE: restore it so eq/in match names as firstName/lastName do.
      const full = sql`((people.first_name || ' ' || people.last_name) COLLATE NOCASE)`;
      const field: ListField = { kind: 'text' };
      if (op === 'contains' && typeof value === 'string' && value.trim().length >= 3) return textIndexed('name', value);
      if (op === 'contains' || op === 'startsWith') {
        return sql<SqlBool>`(${conditionFor(col('people', 'first_name'), field, op, value, path)}
          OR ${conditionFor(col('people', 'last_name'), field, op, value, path)}
          OR ${conditionFor(full, field, op, value, path)})`;
      }
      return conditionFor(full, field, op, value, path);
    },
  },
  email: {
    kind: 'text',
    expr: col('people', 'primary_email'),
    sortable: true,
    nullable: true,
    selective: true,
    filter: (op, value, path) => {
      if (op === 'isEmpty') return conditionFor(col('people', 'primary_email'), { kind: 'text' }, op, value, path);
      if (op === 'contains' && typeof value === 'string' && value.trim().length >= 3)
        return textIndexed('emails', value);
      const match = conditionFor(sql`pe.address`, { kind: 'text' }, op === 'neq' ? 'eq' : op, value, path);
      // `id IN (…)` lets SQLite start from the email index when that is the narrower way in.
      const any = sql<SqlBool>`people.id IN (SELECT pe.person_id FROM person_emails pe WHERE ${match})`;
      return op === 'neq' ? sql<SqlBool>`NOT ${any}` : any;
    },
  },
  phone: {
    kind: 'text',
    expr: col('people', 'primary_phone'),
    sortable: true,
    nullable: true,
    selective: true,
    filter: (op, value, path) => {
      // Phones are stored as E.164; a filter matches digits anywhere in any of the person's numbers.
      if (op === 'contains' && typeof value === 'string') {
        const digits = value.replace(/\D/g, '');
        if (!digits) throw invalid(`${path}.value`, 'must contain digits');
        // The numbers only: a label such as "Desk 2" is not part of any number.
        const number = conditionFor(
          sql`json_extract(ph.value, '$.number')`,
          { kind: 'text' },
          'contains',
          digits,
          path,
        );
        return sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(people.phones) ph WHERE ${number})`;
      }
      return conditionFor(col('people', 'primary_phone'), { kind: 'text' }, op, value, path);
    },
  },
  title: text('people', 'title'),
  lifecycleStage: {
    kind: 'enum',
    expr: col('people', 'lifecycle_stage'),
    values: LIFECYCLE_STAGES,
    sortable: true,
    nullable: true,
  },
  source: text('people', 'source'),
  ownerId: { kind: 'id', expr: col('people', 'owner_id'), sortable: true, nullable: true },
  website: text('people', 'website'),
  'address.city': text('people', 'address_city'),
  'address.country': text('people', 'address_country'),
  createdAt: number('people', 'created_at', false),
  updatedAt: number('people', 'updated_at', false),
  lastActivityAt: number('people', 'last_activity_at'),
  companyId: {
    kind: 'id',
    sortable: false,
    selective: true,
    filter: (op, value, path) => {
      const field: ListField = { kind: 'id' };
      // Links to a company in the trash do not count, as a person's `companies` does not show them.
      const links = sql`person_companies pc JOIN companies c ON c.id = pc.company_id AND c.deleted_at IS NULL`;
      if (op === 'isEmpty') {
        const none = sql<SqlBool>`NOT EXISTS (SELECT 1 FROM ${links} WHERE pc.person_id = people.id)`;
        return value === false ? sql<SqlBool>`NOT ${none}` : none;
      }
      const match = conditionFor(sql`pc.company_id`, field, op === 'neq' ? 'eq' : op, value, path);
      const any = sql<SqlBool>`people.id IN (SELECT pc.person_id FROM ${links} WHERE ${match})`;
      return op === 'neq' ? sql<SqlBool>`NOT ${any}` : any;
    },
  },
};

export const PEOPLE_LIST: ListSpec = {
  table: 'people',
  entity: 'person',
  fields: peopleFields,
  tagged: true,
  // The partial indexes of migrations/0002_records.ts; those on names, email and times also carry the columns of
  // coveredFields (migrations/0005_people_covering_sorts.ts).
  indexedSorts: {
    'lastName|firstName': 'people_last_name',
    lastName: 'people_last_name',
    firstName: 'people_first_name',
    email: 'people_primary_email',
    updatedAt: 'people_updated_at',
    createdAt: 'people_created_at',
    lastActivityAt: 'people_last_activity',
    'address.city': 'people_city',
  },
  coveredFields: { 'address.city': 'address_city', ownerId: 'owner_id', lifecycleStage: 'lifecycle_stage' },
  defaultSort: [
    { field: 'lastName', dir: 'asc' },
    { field: 'firstName', dir: 'asc' },
  ],
};

export const peopleList = defineProcedure({
  name: 'people.list',
  summary:
    'People matching every filter ({ field, op, value } on standard fields, custom.<key> or tag), sorted, one page at a time (keyset cursor).',
  input: z.object(listInputShape).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: Person[]; nextCursor: string | null; total?: number }> {
    const defs = await definitionsFor(ctx.db, 'person');
    const page = await runList<PersonRow>(ctx.db, PEOPLE_LIST, input, defs);
    return listPage(page, (rows) => toPeople(ctx.db, rows));
  },
});

export const peopleBulkUpdate = defineProcedure({
  name: 'people.bulkUpdate',
  summary: 'Sets the owner, lifecycle stage, source or custom values of many people, and adds or removes tags.',
  input: z
    .object({
      ids: bulkIds(),
      patch: z
        .object({
          ownerId: recordId().nullable(),
          lifecycleStage: z.enum(LIFECYCLE_STAGES).nullable(),
          source: shortText().nullable(),
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
    const stored = new Map<string, PersonRow>();
    const updated = await bulkApply(ctx, {
      ids,
      load: async (batch) => {
        const rows = await loadLive(ctx.db, batch);
        for (const row of rows) stored.set(row.id, row);
        return toPeople(ctx.db, rows);
      },
      table: 'people',
      entity: 'person',
      apply: async (person) => {
        const normalized = await normalizePerson(ctx, fields, person, 'patch.');
        await ctx.db
          .updateTable('people')
          .set({ ...changedColumns(stored.get(person.id)!, normalized.row), version: person.version + 1 })
          .where('id', '=', person.id)
          .execute();
      },
      tags: (batch) => changeTags(ctx, 'person', batch, addTags, removeTags),
      audit: auditShape,
      touchesRow: Object.keys(fields).length > 0,
      touchesTags: addTags.length > 0 || removeTags.length > 0,
    });
    return { updated };
  },
});

async function loadLive(db: Kysely<DB>, ids: string[]): Promise<PersonRow[]> {
  return db.selectFrom('people').selectAll().where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export const peopleBulkDelete = defineProcedure({
  name: 'people.bulkDelete',
  summary: 'Moves many people to the trash at once.',
  input: z.object({ ids: bulkIds() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { ids }): Promise<{ deleted: number }> {
    return { deleted: await bulkDelete(ctx, 'people', 'person', ids) };
  },
});
