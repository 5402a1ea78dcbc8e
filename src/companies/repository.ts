// Company rows ↔ the Company the API returns.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CompaniesTable, DB } from '../db/schema.js';
import { itemBase } from '../records/linked-items.js';
import { toAddress, type Address } from '../records/schemas.js';
import { tagsFor } from '../tags/repository.js';

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

export interface Company {
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  ownerId: string | null;
  deletedAt: number | null;
  name: string;
  domains: string[];
  industry: string | null;
  size: CompanySize | null;
  phone: string | null;
  address: Address;
  website: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  peopleCount: number;
  lastActivityAt: number | null;
}

export type CompanyRow = Selectable<CompaniesTable>;

export async function toCompanies(db: Kysely<DB>, rows: CompanyRow[]): Promise<Company[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tags = await tagsFor(db, 'company', ids);
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const result = await sql<{ company_id: string; n: number }>`SELECT pc.company_id, count(*) AS n
      FROM person_companies pc JOIN people p ON p.id = pc.person_id AND p.deleted_at IS NULL
      WHERE pc.company_id IN (${sql.join(ids.slice(i, i + 500))}) GROUP BY pc.company_id`.execute(db);
    for (const row of result.rows) counts.set(row.company_id, Number(row.n));
  }
  return rows.map((row) => ({
    ...itemBase(row),
    name: row.name,
    domains: JSON.parse(row.domains) as string[],
    industry: row.industry,
    size: row.size as CompanySize | null,
    phone: row.phone,
    address: toAddress(row),
    website: row.website,
    tags: tags.get(row.id) ?? [],
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    peopleCount: counts.get(row.id) ?? 0,
    lastActivityAt: row.last_activity_at,
  }));
}

export async function findCompanyRow(db: Kysely<DB>, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCompany(db: Kysely<DB>, id: string): Promise<Company | undefined> {
  const row = await findCompanyRow(db, id);
  return row ? (await toCompanies(db, [row]))[0] : undefined;
}

export function auditShape(company: Company): Record<string, unknown> {
  const { peopleCount: _count, lastActivityAt: _activity, ...rest } = company;
  return rest;
}

/** Replaces a company's rows in company_domains; `fresh` (a company just created) has none to remove. */
export async function writeDomains(db: Kysely<DB>, companyId: string, domains: string[], fresh = false): Promise<void> {
  if (!fresh) await db.deleteFrom('company_domains').where('company_id', '=', companyId).execute();
  if (domains.length > 0) {
    await db
      .insertInto('company_domains')
      .values(domains.map((domain) => ({ company_id: companyId, domain })))
      .execute();
  }
}
