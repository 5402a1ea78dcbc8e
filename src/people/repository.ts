// People rows ↔ the Person the API returns, and the writes that keep the side tables in step.
import type { Kysely, Selectable } from 'kysely';
import type { DB, PeopleTable } from '../db/schema.js';
import { itemBase } from '../records/linked-items.js';
import { toAddress, type Address } from '../records/schemas.js';
import { tagsFor } from '../tags/repository.js';

export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'former_customer', 'other'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export interface PersonEmail {
  address: string;
  label: string | null;
  primary: boolean;
}

export interface PersonPhone {
  number: string;
  label: string | null;
  primary: boolean;
}

export interface PersonCompany {
  companyId: string;
  name: string;
  role: string | null;
}

export interface Person {
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  ownerId: string | null;
  deletedAt: number | null;
  firstName: string;
  lastName: string;
  displayName: string;
  emails: PersonEmail[];
  phones: PersonPhone[];
  title: string | null;
  companies: PersonCompany[];
  address: Address;
  website: string | null;
  lifecycleStage: LifecycleStage | null;
  source: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  consent: { marketing: boolean; at: number | null; basis: LegalBasis | null };
  lastActivityAt: number | null;
}

export type PersonRow = Selectable<PeopleTable>;

export function displayName(firstName: string, lastName: string, emails: { address: string }[]): string {
  const name = `${firstName} ${lastName}`.trim();
  return name || emails[0]?.address || 'Unnamed person';
}

/** Turns rows into People, loading tags and companies for all of them in two queries. */
export async function toPeople(db: Kysely<DB>, rows: PersonRow[]): Promise<Person[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tags = await tagsFor(db, 'person', ids);
  const companies = new Map<string, PersonCompany[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const links = await db
      .selectFrom('person_companies')
      .innerJoin('companies', 'companies.id', 'person_companies.company_id')
      .select(['person_companies.person_id', 'person_companies.company_id', 'person_companies.role', 'companies.name'])
      .where('person_companies.person_id', 'in', ids.slice(i, i + 500))
      .where('companies.deleted_at', 'is', null)
      .orderBy('person_companies.position')
      .execute();
    for (const link of links) {
      const list = companies.get(link.person_id) ?? [];
      list.push({ companyId: link.company_id, name: link.name, role: link.role });
      companies.set(link.person_id, list);
    }
  }
  return rows.map((row) => personFromRow(row, tags.get(row.id) ?? [], companies.get(row.id) ?? []));
}

/** A stored row as the API's Person, given its tags (by name) and its live companies (in order). */
export function personFromRow(row: PersonRow, tags: string[], companies: PersonCompany[]): Person {
  const emails = JSON.parse(row.emails) as PersonEmail[];
  return {
    ...itemBase(row),
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: displayName(row.first_name, row.last_name, emails),
    emails,
    phones: JSON.parse(row.phones) as PersonPhone[],
    title: row.title,
    companies,
    address: toAddress(row),
    website: row.website,
    lifecycleStage: row.lifecycle_stage as LifecycleStage | null,
    source: row.source,
    tags,
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    consent: {
      marketing: row.consent_marketing === 1,
      at: row.consent_at,
      basis: row.consent_basis as LegalBasis | null,
    },
    lastActivityAt: row.last_activity_at,
  };
}

export async function findPersonRow(db: Kysely<DB>, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPerson(db: Kysely<DB>, id: string): Promise<Person | undefined> {
  const row = await findPersonRow(db, id);
  return row ? (await toPeople(db, [row]))[0] : undefined;
}

/** The fields the audit diff records: the API shape without what is derived from other records. */
export function auditShape(person: Person): Record<string, unknown> {
  const { displayName: _name, lastActivityAt: _activity, companies, ...rest } = person;
  return { ...rest, companies: companies.map(({ companyId, role }) => ({ companyId, role })) };
}

/** Replaces a person's rows in person_emails; `fresh` (a person just created) has none to remove. */
export async function writeEmails(
  db: Kysely<DB>,
  personId: string,
  emails: PersonEmail[],
  fresh = false,
): Promise<void> {
  if (!fresh) await db.deleteFrom('person_emails').where('person_id', '=', personId).execute();
  if (emails.length > 0) {
    await db
      .insertInto('person_emails')
      .values(emails.map((e, position) => ({ person_id: personId, position, address: e.address })))
      .execute();
  }
}

export async function writeCompanies(
  db: Kysely<DB>,
  personId: string,
  companies: { companyId: string; role: string | null }[],
  fresh = false,
): Promise<void> {
  if (!fresh) await db.deleteFrom('person_companies').where('person_id', '=', personId).execute();
  if (companies.length > 0) {
    await db
      .insertInto('person_companies')
      .values(
        companies.map((c, position) => ({ person_id: personId, company_id: c.companyId, role: c.role, position })),
      )
      .execute();
  }
}
