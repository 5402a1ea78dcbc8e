// `node dist/bench/search-cli.js [people]`: only the search benchmark (optionally at a smaller size).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaledSize } from './records-data.js';
import { searchBench } from './search.js';

const size = scaledSize(process.argv[2] === undefined ? undefined : Number(process.argv[2]));
const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-search-'));
try {
  process.stdout.write((await searchBench(tmp, size)).join('\n') + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
