// settings.get and settings.update: the workspace's name, base currency and phone region.
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { shortText } from '../api/limits.js';
import { defineProcedure } from '../api/procedure.js';
import { findSettings, toSettings, updateSettingsIfVersion, WORKSPACE_ID } from './repository.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = () =>
  z
    .string()
    .length(3)
    .refine((code) => CURRENCIES.has(code), { message: 'must be an ISO 4217 currency code such as EUR or USD' });

export const regionCode = () =>
  z
    .string()
    .length(2)
    .refine((code) => isSupportedCountry(code), { message: 'must be a two-letter country code such as GB or US' });

const settingsPatch = z
  .object({
    firmName: shortText().trim().min(1, 'must not be empty'),
    baseCurrency: currencyCode(),
    phoneRegion: regionCode(),
  })
  .partial()
  .strict();

export const settingsGet = defineProcedure({
  name: 'settings.get',
  summary: 'The workspace settings: firm name, base currency and phone region.',
  input: z.object({}).strict(),
  permission: 'settings.read',
  mutates: false,
  async handler(ctx) {
    const row = await findSettings(ctx.db);
    if (!row) throw new HearthError('NOT_FOUND', 'The workspace settings are missing.');
    return toSettings(row);
  },
});

export const settingsUpdate = defineProcedure({
  name: 'settings.update',
  summary: 'Changes workspace settings. Names the version it read; a stale version fails with CONFLICT.',
  input: z.object({ version: z.number().int().min(1), patch: settingsPatch }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { version, patch }) {
    const row = await findSettings(ctx.db);
    if (!row) throw new HearthError('NOT_FOUND', 'The workspace settings are missing.');
    const current = toSettings(row);
    if (current.version !== version) {
      throw new HearthError('CONFLICT', 'The settings were changed by someone else since you read them.', {
        current,
      });
    }
    const next = {
      firm_name: patch.firmName ?? current.firmName,
      base_currency: patch.baseCurrency ?? current.baseCurrency,
      phone_region: patch.phoneRegion ?? current.phoneRegion,
      updated_at: ctx.now,
    };
    if (!(await updateSettingsIfVersion(ctx.db, version, next))) {
      throw new HearthError('CONFLICT', 'The settings were changed by someone else since you read them.', {
        current,
      });
    }
    const updated = toSettings((await findSettings(ctx.db))!);
    ctx.recordChange({
      entity: 'settings',
      id: WORKSPACE_ID,
      action: 'update',
      version: updated.version,
      before: current as unknown as Record<string, unknown>,
      after: updated as unknown as Record<string, unknown>,
    });
    return updated;
  },
});
