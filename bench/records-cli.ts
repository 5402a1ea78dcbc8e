// `node dist/bench/records-cli.js [people]`: only the records benchmark (optionally at a smaller size).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordsBench } from './records.js';
import { FULL_SIZE } from './records-data.js';

const scale = Number(process.argv[2] ?? FULL_SIZE.people) / FULL_SIZE.people;
const size = Object.fromEntries(
  Object.entries(FULL_SIZE).map(([k, v]) => [k, Math.round(v * scale)]),
) as unknown as typeof FULL_SIZE;
const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-records-'));
try {
  process.stdout.write((await recordsBench(tmp, size)).join('\n') + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
