// The index build, off the main thread: reads every live record on its own connection, builds the index and stores
// its snapshot in the database, then tells the owner, which loads it. The owner answers queries with the SQL
// fallback meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.js';
import { buildIndex, writeSnapshot } from './snapshot.js';

interface RebuildData {
  file: string;
  key: Uint8Array;
  schemaVersion: number;
}

export interface RebuildReport {
  ok: boolean;
  seq?: number;
  documents?: number;
  buildMs?: number;
  message?: string;
}

const data = workerData as RebuildData;
let report: RebuildReport;
try {
  const started = performance.now();
  const sqlite = openDatabase({ file: data.file, key: Buffer.from(data.key), cacheKiB: 32 * 1024 });
  try {
    const { index, seq } = buildIndex(sqlite);
    writeSnapshot(sqlite, seq, data.schemaVersion, index.serialize(), Date.now());
    report = { ok: true, seq, documents: index.size, buildMs: performance.now() - started };
  } finally {
    sqlite.close();
  }
} catch (error) {
  // The error's message only (never record contents: the build reads none into messages).
  report = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(report);
