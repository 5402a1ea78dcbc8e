// `npm run bench`: what encryption costs (open, bulk insert, point reads), what the dispatcher adds per call, and
// lists, record pages and writes on 100k people with their companies, activities, notes and tasks, and the deal
// board, reports and deal writes on 50k deals, and search over all of it against minisearch and FTS5 baselines.
// Deterministic: a seeded PRNG makes the same 200k people-like rows and the same read order on every run.
// Everything happens in a temporary folder that is removed at the end. Prints a markdown table.
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../src/api/procedure.js';
import { startCheckpointer } from '../src/db/checkpointer.js';
import { openDatabase, pageCacheKiB, type SqliteDatabase } from '../src/db/connection.js';
import { initDataFolder, openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { dealsBench } from './deals.js';
import { recordsBench } from './records.js';
import { searchBench } from './search.js';
import {
  CREATE_PEOPLE,
  INSERT_PERSON,
  log,
  makeRows,
  median,
  prng,
  quantile,
  removeDb,
  SEED,
  type PersonRow,
} from './data.js';

const ROWS = 200_000;
const INSERT_RUNS = 5;
const OPEN_RUNS = 30;
const READS = 50_000;
const READ_RUNS = 3;
const GET_CALLS = 20_000;
const GET_ROUNDS = 5;
const UPDATE_CALLS = 1_000;
const APP_CACHE_KIB = 65_536;

// ---------------------------------------------------------------------------------------------------
// Opening: the encrypted side goes through the product's openDatabase; the plain side mirrors it minus the key.

function openPlain(file: string, create = false, cacheKiB = APP_CACHE_KIB): SqliteDatabase {
  const db = new Database(file, { fileMustExist: !create });
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  db.prepare('SELECT sqlite_version() AS v').get();
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${cacheKiB}`);
  db.pragma('busy_timeout = 5000');
  return db;
}

type Kind = 'encrypted' | 'plain';

function open(kind: Kind, file: string, key: Buffer, create = false, cacheKiB = APP_CACHE_KIB): SqliteDatabase {
  return kind === 'encrypted' ? openDatabase({ file, key, create, cacheKiB }) : openPlain(file, create, cacheKiB);
}

// ---------------------------------------------------------------------------------------------------
// Statistics and formatting

const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
const perSecond = (value: number) => `${(Math.round(value / 1000) * 1000).toLocaleString('en-US')}/s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function fileSize(file: string): number {
  return statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
}

// ---------------------------------------------------------------------------------------------------
// Contention: on a shared machine other processes take CPU from the bench. /proc/stat says how much.

interface CpuSnapshot {
  at: number;
  /** Jiffies (1/100 s) the whole machine spent busy (user, nice, system, irq, softirq, steal). */
  busy: number | null;
  own: NodeJS.CpuUsage;
}

function cpuSnapshot(): CpuSnapshot {
  let busy: number | null = null;
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    busy = user + nice + system + irq + softirq + steal;
  } catch {
    // not Linux
  }
  return { at: performance.now(), busy, own: process.cpuUsage() };
}

/** Cores kept busy by everything but this process between two snapshots, or null where unknown. */
function otherCores(a: CpuSnapshot, b: CpuSnapshot): number | null {
  if (a.busy === null || b.busy === null) return null;
  const wall = (b.at - a.at) / 1000;
  const own = (b.own.user - a.own.user + b.own.system - a.own.system) / 1e6;
  return Math.max(0, ((b.busy - a.busy) / 100 - own) / wall);
}

// ---------------------------------------------------------------------------------------------------
// Measurements

interface InsertSample {
  /** Rows per second of wall-clock time, until the commit returned. */
  wall: number;
  /** Rows per second of this process's CPU time: what the rate would be with a core to itself. */
  cpu: number;
  /** Milliseconds the background worker then needed to checkpoint the WAL into the database file. */
  checkpointMs: number;
}

/**
 * Inserts the rows in one transaction on a connection set up as the app sets up its own: automatic
 * checkpoints off, a background worker checkpointing instead (src/db/checkpointer.ts). The caller waits
 * for the commit; the checkpoint's decrypt-and-re-encrypt work happens off its thread and is timed apart.
 */
async function insertRun(kind: Kind, file: string, key: Buffer, rows: PersonRow[]): Promise<InsertSample> {
  removeDb(file);
  const db = open(kind, file, key, true);
  try {
    db.exec(CREATE_PEOPLE);
    db.pragma('wal_autocheckpoint = 0');
    const checkpointer = startCheckpointer({ file, key: kind === 'encrypted' ? key : null, intervalMs: 60_000 });
    const insert = db.prepare(INSERT_PERSON);
    const insertAll = db.transaction((batch: PersonRow[]) => {
      for (const row of batch) insert.run(row);
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    insertAll(rows);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // Stopping runs the worker's last checkpoint, which copies the whole transaction.
    const t1 = performance.now();
    await checkpointer.stop();
    const checkpointMs = performance.now() - t1;
    const count = (db.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n;
    if (count !== rows.length) throw new Error(`${kind}: expected ${rows.length} rows, found ${count}`);
    return { wall: rows.length / seconds, cpu: rows.length / ((cpu.user + cpu.system) / 1e6), checkpointMs };
  } finally {
    db.close();
  }
}

function openTimes(kind: Kind, file: string, key: Buffer, probeId: string): { open: number[]; firstRead: number[] } {
  const openMs: number[] = [];
  const firstReadMs: number[] = [];
  for (let i = 0; i < OPEN_RUNS + 2; i++) {
    const t0 = performance.now();
    const db = open(kind, file, key);
    const t1 = performance.now();
    const row = db.prepare('SELECT * FROM people WHERE id = ?').get(probeId);
    const t2 = performance.now();
    db.close();
    if (!row) throw new Error(`${kind}: probe row missing`);
    if (i < 2) continue; // the first opens warm the OS file cache and V8
    openMs.push(t1 - t0);
    firstReadMs.push(t2 - t0);
  }
  return { open: openMs, firstRead: firstReadMs };
}

function readRun(db: SqliteDatabase, ids: string[], order: Uint32Array): { perSecond: number; checksum: number } {
  const get = db.prepare('SELECT * FROM people WHERE id = ?');
  let checksum = 0;
  const t0 = performance.now();
  for (let i = 0; i < order.length; i++) {
    const row = get.get(ids[order[i]!]) as { score: number } | undefined;
    checksum += row!.score;
  }
  return { perSecond: order.length / ((performance.now() - t0) / 1000), checksum };
}

interface ReadResult {
  cacheKiB: number;
  encrypted: number[];
  plain: number[];
}

function readBench(
  files: Record<Kind, string>,
  key: Buffer,
  ids: string[],
  order: Uint32Array,
  cacheKiB: number,
): ReadResult {
  const dbs = {
    encrypted: open('encrypted', files.encrypted, key, false, cacheKiB),
    plain: open('plain', files.plain, key, false, cacheKiB),
  };
  try {
    const result: ReadResult = { cacheKiB, encrypted: [], plain: [] };
    const checksums = new Set<number>();
    for (const kind of ['encrypted', 'plain'] as const) checksums.add(readRun(dbs[kind], ids, order).checksum); // warm-up
    for (let run = 0; run < READ_RUNS; run++) {
      for (const kind of ['encrypted', 'plain'] as const) {
        const r = readRun(dbs[kind], ids, order);
        checksums.add(r.checksum);
        result[kind].push(r.perSecond);
      }
    }
    if (checksums.size !== 1) throw new Error('encrypted and plain reads returned different data');
    return result;
  } finally {
    dbs.encrypted.close();
    dbs.plain.close();
  }
}

async function perCallMs(count: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  return (performance.now() - t0) / count;
}

interface ApiResult {
  dispatcherGet: number;
  kyselyGet: number;
  rawGet: number;
  overhead: number;
  updates: number[];
  bareUpdates: number[];
  auditRows: number;
}

async function apiBench(hearth: Hearth): Promise<ApiResult> {
  const actor: Actor = hearth.localActor;
  const { dispatcher, db, sqlite } = hearth;
  const first = await dispatcher.call('settings.get', {}, actor);
  if (!first.ok) throw new Error(`settings.get failed: ${JSON.stringify(first.error)}`);

  const viaDispatcher = async () => {
    const r = await dispatcher.call('settings.get', {}, actor);
    if (!r.ok) throw new Error('settings.get failed');
  };
  const viaKysely = () => db.selectFrom('settings').selectAll().where('id', '=', 'workspace').executeTakeFirst();
  const rawStatement = sqlite.prepare('SELECT * FROM settings WHERE id = ?');
  const viaRaw = () => rawStatement.get('workspace');

  // Warm up, then alternate rounds so drift (GC, CPU frequency) hits each path alike.
  await perCallMs(2_000, viaDispatcher);
  await perCallMs(2_000, viaKysely);
  await perCallMs(2_000, viaRaw);
  const perRound = GET_CALLS / GET_ROUNDS;
  const d: number[] = [];
  const k: number[] = [];
  const r: number[] = [];
  const overhead: number[] = [];
  for (let round = 0; round < GET_ROUNDS; round++) {
    const dr = await perCallMs(perRound, viaDispatcher);
    const kr = await perCallMs(perRound, viaKysely);
    r.push(await perCallMs(perRound, viaRaw));
    d.push(dr);
    k.push(kr);
    overhead.push(dr - kr);
  }

  // settings.update: validation, transaction, optimistic version check, audit append, commit (fsync), event.
  let version = (first.value as { version: number }).version;
  const updates: number[] = [];
  for (let i = 0; i < UPDATE_CALLS + 50; i++) {
    const t0 = performance.now();
    const res = await dispatcher.call('settings.update', { version, patch: { firmName: `Bench firm ${i}` } }, actor);
    const t1 = performance.now();
    if (!res.ok) throw new Error(`settings.update failed: ${JSON.stringify(res.error)}`);
    version = (res.value as { version: number }).version;
    if (i >= 50) updates.push(t1 - t0);
  }
  const auditRows = (sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

  // The floor under it: one bare UPDATE in its own transaction through better-sqlite3 (same connection, same fsync).
  const bare = sqlite.prepare(
    "UPDATE settings SET firm_name = ?, version = version + 1, updated_at = ? WHERE id = 'workspace'",
  );
  const bareTx = sqlite.transaction((i: number) => bare.run(`Bare firm ${i}`, Date.now()));
  const bareUpdates: number[] = [];
  for (let i = 0; i < UPDATE_CALLS + 50; i++) {
    const t0 = performance.now();
    bareTx(i);
    if (i >= 50) bareUpdates.push(performance.now() - t0);
  }
  return {
    dispatcherGet: median(d),
    kyselyGet: median(k),
    rawGet: median(r),
    overhead: median(overhead),
    updates,
    bareUpdates,
    auditRows,
  };
}

// ---------------------------------------------------------------------------------------------------
// Machine

function machine(): string[] {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  let flags = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
    const f = /^flags\s*:\s*(.+)$/m.exec(info)?.[1]?.split(/\s+/) ?? [];
    flags = ['aes', 'sha_ni', 'avx2'].filter((x) => f.includes(x)).join(', ');
    const mhz = Number(/^cpu MHz\s*:\s*(.+)$/m.exec(info)?.[1]);
    if (mhz > 0) cpu += ` at ${(mhz / 1000).toFixed(1)} GHz`;
  } catch {
    // not Linux: os.cpus() is enough
  }
  const probe = new Database(':memory:');
  const v = probe.prepare('SELECT sqlite_version() AS sqlite, sqlite3mc_version() AS mc').get() as {
    sqlite: string;
    mc: string;
  };
  probe.close();
  return [
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- CPU: ${cpu}, ${cpus().length} cores${flags ? ` (${flags})` : ''}`,
    `- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB; OS: ${platform()} ${release()}`,
    `- Node ${process.version}; SQLite ${v.sqlite} (${v.mc}), cipher \`sqlcipher\` legacy=4 (SQLCipher 4: AES-256-CBC, HMAC-SHA512, 4096-byte pages)`,
  ];
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const key = randomBytes(32);
    log(`temporary folder ${tmp}`);
    log(`generating ${ROWS.toLocaleString('en-US')} rows (seed ${SEED})`);
    const rows = makeRows(ROWS);
    const ids = rows.map((row) => row[0]);
    const files: Record<Kind, string> = {
      encrypted: join(tmp, 'people-encrypted.db'),
      plain: join(tmp, 'people-plain.db'),
    };

    // 1. Bulk insert, alternating so neither side gets the warmer machine.
    log(`bulk insert: ${INSERT_RUNS} runs each`);
    const load: Record<string, number | null> = {};
    let mark = cpuSnapshot();
    const endPhase = (name: string) => {
      const now = cpuSnapshot();
      load[name] = otherCores(mark, now);
      mark = now;
    };
    const inserts: Record<Kind, InsertSample[]> = { encrypted: [], plain: [] };
    await insertRun('plain', files.plain, key, rows.slice(0, 20_000)); // warm-up (JIT, file system)
    for (let run = 0; run < INSERT_RUNS; run++) {
      for (const kind of run % 2 === 0 ? (['encrypted', 'plain'] as const) : (['plain', 'encrypted'] as const)) {
        inserts[kind].push(await insertRun(kind, files[kind], key, rows));
      }
    }
    endPhase('insert');
    const sizes = { encrypted: fileSize(files.encrypted), plain: fileSize(files.plain) };

    // 2. Open time on the 200k-row files.
    log(`open: ${OPEN_RUNS} opens each`);
    const probeId = ids[Math.floor(ROWS / 2)]!;
    const opens = {
      encrypted: openTimes('encrypted', files.encrypted, key, probeId),
      plain: openTimes('plain', files.plain, key, probeId),
    };
    endPhase('open');

    // 3. Point reads by primary key, random (seeded) order, warm cache.
    log(`point reads: ${READ_RUNS} runs of ${READS.toLocaleString('en-US')} each, three cache sizes`);
    const rng = prng(SEED + 1);
    const order = new Uint32Array(READS);
    for (let i = 0; i < READS; i++) order[i] = Math.floor(rng() * ROWS);
    const appCacheKiB = pageCacheKiB(statSync(files.encrypted).size);
    const reads = [APP_CACHE_KIB, 2_000, appCacheKiB].map((cacheKiB) => readBench(files, key, ids, order, cacheKiB));
    endPhase('read');

    // 4. The dispatcher, on a real data folder opened the way the app opens it.
    log('dispatcher');
    const dir = join(tmp, 'data');
    const keyFile = join(tmp, 'hearth.key');
    const folderKey = randomBytes(32);
    writeFileSync(keyFile, folderKey.toString('hex') + '\n', { mode: 0o600 });
    await initDataFolder({ dir, provider: keyFileProvider(keyFile), key: folderKey, userName: 'Bench' });
    const hearthOpens: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      const h = await openHearth({ dir, provider: () => keyFileProvider(keyFile), purpose: 'bench' });
      hearthOpens.push(performance.now() - t0);
      await h.close();
    }
    hearthOpens.splice(0, 2);
    const hearth = await openHearth({ dir, provider: () => keyFileProvider(keyFile), purpose: 'bench' });
    let api: ApiResult;
    try {
      api = await apiBench(hearth);
    } finally {
      await hearth.close();
    }
    endPhase('API');

    // 5. Records at size: lists, record pages and writes (bench/records.ts).
    const records = await recordsBench(tmp);
    endPhase('records');

    // 6. Deals at size: the board, reports, the deal list and deal writes (bench/deals.ts).
    const deals = await dealsBench(tmp);
    endPhase('deals');

    // 7. Search at size: the records data set plus deals, against minisearch and FTS5 baselines (bench/search.ts).
    const search = await searchBench(tmp);
    endPhase('search');

    // ----- report
    const best = (values: number[]) => Math.max(...values);
    const wall = (kind: Kind) => inserts[kind].map((sample) => sample.wall);
    const cpuRate = (kind: Kind) => inserts[kind].map((sample) => sample.cpu);
    const ratioBest = best(wall('encrypted')) / best(wall('plain'));
    const ratioMedian = median(wall('encrypted')) / median(wall('plain'));
    const ratioCpu = best(cpuRate('encrypted')) / best(cpuRate('plain'));
    const encOpenMedian = median(opens.encrypted.open);
    const encOpenP95 = quantile(opens.encrypted.open, 0.95);
    const lines: string[] = [];
    lines.push(`### Results`, '', ...machine());
    lines.push(
      `- Data: ${ROWS.toLocaleString('en-US')} people-like rows (UUIDv7-shaped text primary key, names, email, ~200-byte notes, 5 integers), seed ${SEED}; file ${mib(sizes.encrypted)} encrypted, ${mib(sizes.plain)} plain`,
      `- Both sides: WAL, synchronous=NORMAL (as the app), temp_store=MEMORY, 4096-byte pages; cache 64 MiB unless stated; inserts as the app writes: automatic checkpoints off, a background worker checkpoints (its time is the last insert row)`,
      '',
    );
    lines.push('| Measure | Encrypted | Plain | Encrypted ÷ plain | Target |', '| --- | --: | --: | --: | --- |');
    lines.push(
      `| Open with raw key, median / p95 of ${OPEN_RUNS} | ${ms(encOpenMedian)} / ${ms(encOpenP95)} | ${ms(median(opens.plain.open))} / ${ms(quantile(opens.plain.open, 0.95))} | | < 50 ms: ${verdict(encOpenP95 < 50)} |`,
    );
    lines.push(
      `| Open + first point read, median / p95 | ${ms(median(opens.encrypted.firstRead))} / ${ms(quantile(opens.encrypted.firstRead, 0.95))} | ${ms(median(opens.plain.firstRead))} / ${ms(quantile(opens.plain.firstRead, 0.95))} | | |`,
    );
    lines.push(
      `| Bulk insert ${ROWS / 1000}k rows, one transaction, best of ${INSERT_RUNS} | ${perSecond(best(wall('encrypted')))} | ${perSecond(best(wall('plain')))} | ${ratioBest.toFixed(2)} | ≥ 0.70: ${verdict(ratioBest >= 0.7)} |`,
    );
    lines.push(
      `| Bulk insert, median of ${INSERT_RUNS} | ${perSecond(median(wall('encrypted')))} | ${perSecond(median(wall('plain')))} | ${ratioMedian.toFixed(2)} | ≥ 0.70: ${verdict(ratioMedian >= 0.7)} |`,
    );
    lines.push(
      `| Bulk insert per second of CPU time (discounts other load), best of ${INSERT_RUNS} | ${perSecond(best(cpuRate('encrypted')))} | ${perSecond(best(cpuRate('plain')))} | ${ratioCpu.toFixed(2)} | ≥ 0.70: ${verdict(ratioCpu >= 0.7)} |`,
    );
    const checkpoint = (kind: Kind) => median(inserts[kind].map((sample) => sample.checkpointMs));
    lines.push(
      `| Background checkpoint of that transaction (worker thread, not waited for), median | ${ms(checkpoint('encrypted'), 0)} | ${ms(checkpoint('plain'), 0)} | ${(checkpoint('plain') / checkpoint('encrypted')).toFixed(2)} | |`,
    );
    for (const r of reads) {
      const label =
        r.cacheKiB === APP_CACHE_KIB
          ? '64 MiB cache (the app’s floor)'
          : r.cacheKiB < APP_CACHE_KIB
            ? '2 MB cache (SQLite’s default)'
            : `${Math.round(r.cacheKiB / 1024)} MiB cache (the app’s sizing: 1.5 × the file)`;
      lines.push(
        `| Point reads by primary key, ${label}, best / median of ${READ_RUNS} | ${perSecond(best(r.encrypted))} / ${perSecond(median(r.encrypted))} | ${perSecond(best(r.plain))} / ${perSecond(median(r.plain))} | ${(median(r.encrypted) / median(r.plain)).toFixed(2)} | |`,
      );
    }
    lines.push('');
    lines.push('| API layer (encrypted data folder) | Per call | Target |', '| --- | --: | --- |');
    lines.push(
      `| \`openHearth\` (lock, key file, migrations check, local user), median / p95 of 10 | ${ms(median(hearthOpens))} / ${ms(quantile(hearthOpens, 0.95))} | |`,
    );
    lines.push(
      `| \`settings.get\` through the dispatcher, median of ${GET_ROUNDS} rounds × ${GET_CALLS / GET_ROUNDS} | ${ms(api.dispatcherGet, 4)} | |`,
    );
    lines.push(`| The same query through Kysely | ${ms(api.kyselyGet, 4)} | |`);
    lines.push(`| The same query through a prepared better-sqlite3 statement | ${ms(api.rawGet, 4)} | |`);
    lines.push(
      `| **Dispatcher overhead** (dispatcher − Kysely) | ${ms(api.overhead, 4)} | < 0.1 ms: ${verdict(api.overhead < 0.1)} |`,
    );
    lines.push(
      `| \`settings.update\` through the dispatcher (transaction, audit append, commit), p50 / p95 of ${UPDATE_CALLS} | ${ms(median(api.updates), 3)} / ${ms(quantile(api.updates, 0.95), 3)} | |`,
    );
    lines.push(
      `| A bare one-row UPDATE transaction through better-sqlite3, p50 / p95 of ${UPDATE_CALLS} | ${ms(median(api.bareUpdates), 3)} / ${ms(quantile(api.bareUpdates, 0.95), 3)} | |`,
    );
    lines.push(...records);
    lines.push(...deals);
    lines.push(...search);
    lines.push('');
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    const loadText = Object.entries(load)
      .map(([name, cores]) => `${name} ${cores === null ? '?' : cores.toFixed(1)}`)
      .join(', ');
    lines.push(
      `Other processes kept this many of the ${cpus().length} cores busy during each phase (from /proc/stat): ${loadText}. Above about 0.2 the wall-clock figures are depressed; compare runs only on a quiet machine.`,
      '',
    );
    lines.push(
      `Peak RSS ${maxRssMiB.toFixed(0)} MiB; whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
    if (api.auditRows < UPDATE_CALLS) throw new Error(`expected ≥ ${UPDATE_CALLS} audit rows, found ${api.auditRows}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
