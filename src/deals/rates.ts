// rates.*: exchange rates to the base currency, entered by the user with the day they take effect (no cloud
// rate service). Reports convert with the rate in force on a deal's close day, or today's for open deals.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { ExchangeRatesTable } from '../db/schema.js';
import { recordId } from '../records/schemas.js';
import { checkDate, invalid } from '../records/values.js';
import { currencyCode } from '../settings/procedures.js';
import { baseCurrency } from '../settings/repository.js';
import type { Selectable } from 'kysely';
import { canonicalRate, parseRate } from './money.js';
import type { ExchangeRate } from './types.js';

type ExchangeRateRow = Selectable<ExchangeRatesTable>;

function toRate(row: ExchangeRateRow): ExchangeRate {
  return {
    id: row.id,
    version: row.version,
    baseCurrency: row.base_currency,
    currency: row.currency,
    effectiveDate: row.effective_date,
    rate: row.rate,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const ratesList = defineProcedure({
  name: 'rates.list',
  summary: 'Exchange rates to the current base currency, by currency and effective date (newest first).',
  input: z.object({}).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx): Promise<{ baseCurrency: string; items: ExchangeRate[] }> {
    const base = await baseCurrency(ctx.db);
    const rows = await ctx.db
      .selectFrom('exchange_rates')
      .selectAll()
      .where('base_currency', '=', base)
      .orderBy('currency')
      .orderBy('effective_date', 'desc')
      .execute();
    return { baseCurrency: base, items: rows.map(toRate) };
  },
});

export const ratesSet = defineProcedure({
  name: 'rates.set',
  summary:
    'Sets the rate of a currency from a day on: 1 unit of currency = rate units of the base currency (a decimal string, at most 10 decimals). Replaces the rate of the same currency and day. `replaces` names a rate this one takes the place of (moving a rate to another day), removed in the same transaction.',
  input: z
    .object({
      currency: currencyCode(),
      effectiveDate: z.string().max(10),
      rate: z.string().max(30),
      replaces: recordId().optional(),
    })
    .strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<ExchangeRate> {
    const replaced =
      input.replaces === undefined
        ? undefined
        : await ctx.db.selectFrom('exchange_rates').selectAll().where('id', '=', input.replaces).executeTakeFirst();
    if (input.replaces !== undefined && !replaced)
      throw new HearthError('NOT_FOUND', 'There is no exchange rate with this id.', { id: input.replaces });
    const saved = await setRate(ctx, input);
    if (replaced && replaced.id !== saved.id) await removeRate(ctx, replaced);
    return saved;
  },
});

async function setRate(
  ctx: CallContext,
  input: { currency: string; effectiveDate: string; rate: string },
): Promise<ExchangeRate> {
  const base = await baseCurrency(ctx.db);
  const effectiveDate = checkDate(input.effectiveDate, 'effectiveDate');
  if (input.currency === base) throw invalid('currency', `this is the base currency (${base}); its rate is always 1`);
  const rate = input.rate.trim();
  if (parseRate(rate) === null)
    throw invalid('rate', 'must be a positive decimal number such as 1.0842 (at most 10 decimals)');
  const canonical = canonicalRate(rate);
  const existing = await ctx.db
    .selectFrom('exchange_rates')
    .selectAll()
    .where('base_currency', '=', base)
    .where('currency', '=', input.currency)
    .where('effective_date', '=', effectiveDate)
    .executeTakeFirst();
  if (existing) {
    if (existing.rate === canonical) return toRate(existing);
    await ctx.db
      .updateTable('exchange_rates')
      .set({ rate: canonical, updated_at: ctx.now, version: existing.version + 1 })
      .where('id', '=', existing.id)
      .execute();
    const updated = { ...existing, rate: canonical, updated_at: ctx.now, version: existing.version + 1 };
    ctx.recordChange({
      entity: 'exchangeRate',
      id: existing.id,
      action: 'update',
      version: updated.version,
      before: toRate(existing) as unknown as Record<string, unknown>,
      after: toRate(updated) as unknown as Record<string, unknown>,
    });
    return toRate(updated);
  }
  const row = {
    id: uuidv7(),
    base_currency: base,
    currency: input.currency,
    effective_date: effectiveDate,
    rate: canonical,
    version: 1,
    created_at: ctx.now,
    updated_at: ctx.now,
    created_by: ctx.actor.userId,
    owner_id: ctx.actor.userId,
  };
  await ctx.db.insertInto('exchange_rates').values(row).execute();
  ctx.recordChange({
    entity: 'exchangeRate',
    id: row.id,
    action: 'create',
    version: 1,
    after: toRate(row) as unknown as Record<string, unknown>,
  });
  return toRate(row);
}

async function removeRate(ctx: CallContext, row: ExchangeRateRow): Promise<void> {
  await sql`DELETE FROM exchange_rates WHERE id = ${row.id}`.execute(ctx.db);
  ctx.recordChange({
    entity: 'exchangeRate',
    id: row.id,
    action: 'purge',
    version: row.version,
    before: toRate(row) as unknown as Record<string, unknown>,
    after: null,
  });
}

export const ratesDelete = defineProcedure({
  name: 'rates.delete',
  summary: 'Removes an exchange rate; the one before it is in force again from that day.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<{ deleted: true }> {
    const row = await ctx.db.selectFrom('exchange_rates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new HearthError('NOT_FOUND', 'There is no exchange rate with this id.', { id });
    await removeRate(ctx, row);
    return { deleted: true };
  },
});
