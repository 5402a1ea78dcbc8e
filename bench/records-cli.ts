// `node dist/bench/records-cli.js [people]`: only the records benchmark (optionally at a smaller size).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordsBench } from './records.js';
import { scaledSize } from './records-data.js';

const size = scaledSize(process.argv[2] === undefined ? undefined : Number(process.argv[2]));
const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-records-'));
try {
  process.stdout.write((await recordsBench(tmp, size)).join('\n') + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
