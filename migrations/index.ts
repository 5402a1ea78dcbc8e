// Every migration, imported statically so a bundled app carries them. Append only; never edit a released one.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_records.js';
import * as m0003 from './0003_people_text_contentless.js';
import * as m0004 from './0004_tasks_reminded.js';
import * as m0005 from './0005_people_covering_sorts.js';
import * as m0006 from './0006_config_stamp.js';
import * as m0007 from './0007_deals.js';
import * as m0008 from './0008_report_sums.js';
import * as m0009 from './0009_search.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_foundation': m0001,
  '0002_records': m0002,
  '0003_people_text_contentless': m0003,
  '0004_tasks_reminded': m0004,
  '0005_people_covering_sorts': m0005,
  '0006_config_stamp': m0006,
  '0007_deals': m0007,
  '0008_report_sums': m0008,
  '0009_search': m0009,
};

/** The schema version this build writes: the number of migrations it knows. */
export const LATEST_SCHEMA_VERSION = Object.keys(migrations).length;
