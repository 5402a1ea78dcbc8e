// `node dist/bench/search-cli.js [people]`: only the search benchmark (optionally at a smaller size).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_SIZE } from './records-data.js';
import { searchBench } from './search.js';

const scale = Number(process.argv[2] ?? FULL_SIZE.people) / FULL_SIZE.people;
const size = Object.fromEntries(
  Object.entries(FULL_SIZE).map(([k, v]) => [k, Math.round(v * scale)]),
) as unknown as typeof FULL_SIZE;
const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-search-'));
try {
  process.stdout.write((await searchBench(tmp, size)).join('\n') + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
