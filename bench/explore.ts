// `node dist/bench/explore.js [filter]`: where the encrypted bulk insert's time goes. Not part of `npm run bench`.
// Runs the same 200k-row insert as bench/run.ts under variations of pragmas and ciphers, encrypted and plain,
// and prints wall-clock and CPU-time rates. Only the first variant is what the app does; the others are
// experiments, and several of them (other ciphers, no HMAC) give up SQLCipher 4 compatibility or tamper
// detection. EXPLORE_RUNS=n sets the runs per variant (default 3; best run reported).
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SqliteDatabase } from '../src/db/connection.js';
import { CREATE_PEOPLE, INSERT_PERSON, makeRows, median, removeDb, type PersonRow } from './data.js';

interface Variant {
  name: string;
  /** Cipher pragmas before the key; null for a plain file. */
  cipher: string[] | null;
  /** Pragmas after keying; for a plain file page_size comes first, before anything is written. */
  pragmas: string[];
  /** Stop the automatic checkpoint during the insert and time one explicit checkpoint afterwards. */
  separateCheckpoint?: boolean;
}

interface Experiment {
  name: string;
  encrypted: Variant;
  /** The plain counterpart; experiments on the cipher alone compare with the app's plain settings. */
  plain: Variant | null;
}

const APP_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'temp_store = MEMORY',
  'cache_size = -65536',
];
const SQLCIPHER4 = [`cipher = 'sqlcipher'`, 'legacy = 4'];
const RUNS = Number(process.env.EXPLORE_RUNS ?? 3);

function pair(
  name: string,
  pragmas: string[],
  options: { cipherExtra?: string[]; plainFirst?: string[]; separateCheckpoint?: boolean } = {},
): Experiment {
  const separateCheckpoint = options.separateCheckpoint ?? false;
  return {
    name,
    encrypted: { name, cipher: [...SQLCIPHER4, ...(options.cipherExtra ?? [])], pragmas, separateCheckpoint },
    plain: { name, cipher: null, pragmas: [...(options.plainFirst ?? []), ...pragmas], separateCheckpoint },
  };
}

function cipherOnly(name: string, cipher: string[]): Experiment {
  return { name, encrypted: { name, cipher, pragmas: APP_PRAGMAS }, plain: null };
}

const EXPERIMENTS: Experiment[] = [
  pair('The app: SQLCipher 4, WAL, synchronous=NORMAL, 64 MiB cache, 4 KiB pages', APP_PRAGMAS),
  pair(
    'Same, automatic checkpoint off during the insert (insert and commit only)',
    [...APP_PRAGMAS, 'wal_autocheckpoint = 0'],
    { separateCheckpoint: true },
  ),
  pair('256 MiB cache (nothing spills to the WAL before the commit)', [
    ...APP_PRAGMAS.slice(0, 4),
    'cache_size = -262144',
  ]),
  pair('8 KiB pages', APP_PRAGMAS, { cipherExtra: ['legacy_page_size = 8192'], plainFirst: ['page_size = 8192'] }),
  pair('16 KiB pages', APP_PRAGMAS, {
    cipherExtra: ['legacy_page_size = 16384'],
    plainFirst: ['page_size = 16384'],
  }),
  pair('Rollback journal (journal_mode=DELETE) instead of WAL', ['journal_mode = DELETE', ...APP_PRAGMAS.slice(1)]),
  cipherOnly('SQLCipher 4 without its HMAC (hmac_use=0)', [...SQLCIPHER4, 'hmac_use = 0']),
  cipherOnly("AES-256-CBC without HMAC (cipher 'aes256cbc')", [`cipher = 'aes256cbc'`]),
  cipherOnly("ChaCha20-Poly1305 (cipher 'chacha20', the library's default)", [`cipher = 'chacha20'`]),
  cipherOnly("AEGIS-256 (cipher 'aegis')", [`cipher = 'aegis'`, "algorithm = 'aegis-256'"]),
];

interface Sample {
  /** Insert and commit, ms. */
  wall: number;
  /** CPU time of the insert and commit, ms. */
  cpu: number;
  /** The explicit checkpoint, ms (0 when none). */
  checkpoint: number;
  pageSize: number;
}

function openVariant(file: string, key: Buffer, variant: Variant): SqliteDatabase {
  const db = new Database(file);
  if (variant.cipher) {
    for (const p of variant.cipher) db.pragma(p);
    db.pragma(`key="x'${key.toString('hex')}'"`);
  }
  for (const p of variant.pragmas) db.pragma(p);
  return db;
}

function runOnce(file: string, key: Buffer, variant: Variant, rows: PersonRow[]): Sample {
  removeDb(file);
  const db = openVariant(file, key, variant);
  try {
    db.exec(CREATE_PEOPLE);
    const insert = db.prepare(INSERT_PERSON);
    const insertAll = db.transaction((batch: PersonRow[]) => {
      for (const row of batch) insert.run(row);
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    insertAll(rows);
    const wall = performance.now() - t0;
    const cpuUsage = process.cpuUsage(cpu0);
    let checkpoint = 0;
    if (variant.separateCheckpoint) {
      const t1 = performance.now();
      db.pragma('wal_checkpoint(TRUNCATE)');
      checkpoint = performance.now() - t1;
    }
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    return { wall, cpu: (cpuUsage.user + cpuUsage.system) / 1000, checkpoint, pageSize };
  } finally {
    db.close();
  }
}

/**
 * The cost of one pass of the cipher over every page: a full-table scan with a small page cache (the OS
 * cache is warm), so every page is read and, when encrypted, decrypted and checked.
 */
function scanThroughput(dir: string, key: Buffer, rows: PersonRow[]): string[] {
  const kinds: Array<[string, string[] | null]> = [
    ['SQLCipher 4 (the app)', SQLCIPHER4],
    ['SQLCipher 4 without HMAC', [...SQLCIPHER4, 'hmac_use = 0']],
    ['Plain', null],
  ];
  const lines = ['| Full-table scan, 2 MB page cache, best of 3 | ms | MB/s of file |', '| --- | --: | --: |'];
  for (const [name, cipher] of kinds) {
    const file = join(dir, 'scan.db');
    const variant: Variant = { name, cipher, pragmas: ['journal_mode = DELETE', 'cache_size = -262144'] };
    removeDb(file);
    let db = openVariant(file, key, variant);
    db.exec(CREATE_PEOPLE);
    const insert = db.prepare(INSERT_PERSON);
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    const bytes = Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
    db.close();
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      db = openVariant(file, key, { ...variant, pragmas: ['cache_size = -2000'] });
      const t0 = performance.now();
      db.prepare('SELECT sum(length(notes)) FROM people').get();
      times.push(performance.now() - t0);
      db.close();
    }
    const best = Math.min(...times.slice(1));
    lines.push(`| ${name} | ${best.toFixed(0)} | ${(bytes / 1e6 / (best / 1000)).toFixed(0)} |`);
  }
  removeDb(join(dir, 'scan.db'));
  return lines;
}

function main(): void {
  const filter = process.argv[2];
  const tmp = mkdtempSync(join(tmpdir(), 'hearth-explore-'));
  try {
    const key = randomBytes(32);
    const rows = makeRows(200_000);
    const file = join(tmp, 'explore.db');
    const appPlain = EXPERIMENTS[0]!.plain!;
    runOnce(file, key, appPlain, rows.slice(0, 20_000)); // warm-up
    const experiments = filter ? EXPERIMENTS.filter((e, i) => i === 0 || e.name.includes(filter)) : EXPERIMENTS;
    const variants = experiments.flatMap((e) => (e.plain ? [e.encrypted, e.plain] : [e.encrypted]));
    const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
    // Round-robin, so that a busy moment on a shared machine does not land on one variant only.
    for (let run = 0; run < RUNS; run++) {
      for (const variant of variants) {
        samples.get(variant)!.push(runOnce(file, key, variant, rows));
        process.stderr.write('.');
      }
    }
    process.stderr.write('\n');

    const bestWall = (v: Variant) => Math.min(...samples.get(v)!.map((s) => s.wall));
    const bestCpu = (v: Variant) => Math.min(...samples.get(v)!.map((s) => s.cpu));
    const rate = (ms: number) => (Math.round(rows.length / (ms / 1000) / 1000) * 1000).toLocaleString('en-US');
    const lines = [
      `| Experiment (200k rows in one transaction, best of ${RUNS}) | Page | Encrypted rows/s | Plain rows/s | Ratio (wall) | Ratio (CPU time) | Checkpoint afterwards, enc / plain |`,
      '| --- | --: | --: | --: | --: | --: | --: |',
    ];
    for (const e of experiments) {
      const plain = e.plain ?? appPlain;
      const checkpoint = e.encrypted.separateCheckpoint
        ? `${median(samples.get(e.encrypted)!.map((s) => s.checkpoint)).toFixed(0)} ms / ${median(samples.get(plain)!.map((s) => s.checkpoint)).toFixed(0)} ms`
        : '';
      const page = samples.get(e.encrypted)![0]!.pageSize;
      lines.push(
        `| ${e.name} | ${page} | ${rate(bestWall(e.encrypted))} | ${e.plain ? rate(bestWall(plain)) : '(app’s plain)'} | ${(bestWall(plain) / bestWall(e.encrypted)).toFixed(2)} | ${(bestCpu(plain) / bestCpu(e.encrypted)).toFixed(2)} | ${checkpoint} |`,
      );
    }
    lines.push('', ...scanThroughput(tmp, key, rows));
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
