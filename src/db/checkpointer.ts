// Moves WAL checkpoints off the calling thread: a worker with its own connection copies committed pages
// into the database file in the background, so a big commit (or the Electron main thread) never waits
// for the decrypt-and-re-encrypt work a checkpoint costs on an encrypted database.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { keyPragmas } from './connection.js';

export interface Checkpointer {
  /** Stops the worker after a last checkpoint; resolves once its connection is closed. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  file: string;
  /** The raw database key; null for a plain database (the benchmark's baseline only). */
  key: Buffer | null;
  intervalMs?: number;
  /** How long a checkpoint may wait while writes keep coming. */
  maxDeferMs?: number;
  /** Called if the worker cannot run, so the owner can go back to checkpointing on its own connection. */
  onFailure?: () => void;
}

// Plain CommonJS run with `eval`, so it works the same from src/ under tests, from dist/, and inside app.asar.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const options = { fileMustExist: true };
if (workerData.nativeBinding) options.nativeBinding = workerData.nativeBinding;
const db = new Database(workerData.file, options);
for (const pragma of workerData.keyPragmas) db.pragma(pragma);
// Never wait on a lock: a busy database is simply checkpointed on the next tick.
db.pragma('busy_timeout = 0');
// Each checkpoint syncs the WAL before copying it and the database file after: the owner's commits rely on it.
db.pragma('synchronous = FULL');
let lastCheckpoint = Date.now();
let lastVersion = null;
function checkpoint() {
  lastCheckpoint = Date.now();
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy, or a passing I/O error: the next tick tries again, and the owner's close checkpoints in any case.
  }
}
let wasWriting = false;
// A checkpoint also puts the WAL on disk (fsync), which the owner's commits (synchronous=NORMAL) leave to it: a
// save is on disk by the next tick. While writes keep coming (the data version moved in two ticks running) the
// checkpoint waits, up to maxDeferMs: copying pages and syncing the file at the same time as the writer's own
// commits slows them, and a later checkpoint copies a page changed many times once.
function tick() {
  let version = null;
  try {
    version = db.pragma('data_version', { simple: true });
  } catch {
    // Read on the next tick.
  }
  const writing = version !== lastVersion;
  const burst = writing && wasWriting;
  lastVersion = version;
  wasWriting = writing;
  if (burst && Date.now() - lastCheckpoint < workerData.maxDeferMs) return;
  checkpoint();
}
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

const require = createRequire(import.meta.url);

/**
 * Starts the background checkpointer without waiting for it (opening stays fast). The caller should set
 * `wal_autocheckpoint = 0` on its own connection.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      modulePath: require.resolve('better-sqlite3-multiple-ciphers'),
      nativeBinding: process.env.HEARTH_SQLITE_BINDING ?? null,
      file: options.file,
      keyPragmas: options.key ? keyPragmas(options.key) : [],
      intervalMs: options.intervalMs ?? 250,
      maxDeferMs: options.maxDeferMs ?? 1_000,
    },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Held until it has opened its connection, then never the thing that keeps a finished command alive.
  let stopping: Promise<void> | null = null;
  worker.once('message', () => {
    if (!stopping) worker.unref();
  });
  worker.on('error', () => options.onFailure?.());
  return {
    stop() {
      stopping ??= (async () => {
        // Held again while it finishes, or a command awaiting close() would see an empty event loop.
        worker.ref();
        worker.postMessage('stop');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
