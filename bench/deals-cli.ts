// `node dist/bench/deals-cli.js [deals] [people]`: only the deals benchmark (optionally at a smaller size; the main
// pipeline's open deals and the records set beside the deals scale with the numbers given).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEALS_RECORDS, dealsBench } from './deals.js';
import { FULL_DEALS } from './deals-data.js';

const dealScale = Number(process.argv[2] ?? FULL_DEALS.deals) / FULL_DEALS.deals;
const recordScale = Number(process.argv[3] ?? DEALS_RECORDS.people) / DEALS_RECORDS.people;
const scale = <T extends object>(size: T, by: number) =>
  Object.fromEntries(Object.entries(size).map(([k, v]) => [k, Math.max(1, Math.round((v as number) * by))])) as T;
const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-deals-'));
try {
  process.stdout.write(
    (await dealsBench(tmp, scale(FULL_DEALS, dealScale), scale(DEALS_RECORDS, recordScale))).join('\n') + '\n',
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
