// One process owns a data folder at a time: a second opener is told who holds it; a crashed holder's lock is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HearthError } from '../src/api/errors.js';
import type { Hearth } from '../src/datafolder/hearth.js';
import { acquireLock, type LockHolder } from '../src/datafolder/lock.js';
import { ensureCliBuilt, runHearth, startServe, stdoutJson, type RunningServe } from './support/cli.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';

interface ErrorOutput {
  error: { code: string; message: string; details?: { holder?: LockHolder } };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

beforeAll(() => ensureCliBuilt());

async function dataFolder(): Promise<TempFolder & { lockFile: string; opts: string[] }> {
  const folder = await makeDataFolder();
  cleanups.push(folder.cleanup);
  return {
    ...folder,
    lockFile: join(folder.dir, 'hearth.lock'),
    opts: ['--data-dir', folder.dir, '--key-file', folder.keyFile],
  };
}

async function open(folder: TempFolder): Promise<Hearth> {
  const hearth = await openTestHearth(folder);
  cleanups.push(() => hearth.close());
  return hearth;
}

/** The pid of a process that has already exited (so no live process has it, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  expect(child.status).toBe(0);
  return child.pid!;
}

function writeLock(file: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = {
    pid: deadPid(),
    host: hostname(),
    startedAt: Date.now() - 60_000,
    purpose: 'hearth serve',
    ...holder,
  };
  writeFileSync(file, JSON.stringify(full));
}

function holderIn(file: string): LockHolder {
  return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
}

async function lockedError(promise: Promise<unknown>): Promise<HearthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HearthError);
  expect((error as HearthError).code).toBe('LOCKED');
  return error as HearthError;
}

describe('one owner at a time', () => {
  test('a second open in the same process is refused with LOCKED naming the holder', async () => {
    const folder = await dataFolder();
    await open(folder);
    const error = await lockedError(openTestHearth(folder));
    expect(error.message).toContain('test'); // the purpose given by the first opener
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toContain(hostname());
    expect(error.details).toMatchObject({ holder: { pid: process.pid, host: hostname(), purpose: 'test' } });
  });

  test('a second process is refused with LOCKED naming the serve that holds the folder; after it stops, the folder opens', async () => {
    const folder = await dataFolder();
    const serve: RunningServe = await startServe(folder.opts);
    let running = true;
    cleanups.push(async () => {
      if (running) await serve.stop('SIGKILL');
    });
    const servePid = serve.child.pid!;
    expect(holderIn(folder.lockFile)).toMatchObject({ pid: servePid, purpose: 'hearth serve' });

    const refused = await runHearth([...folder.opts, 'call', 'settings.get']);
    expect(refused.code).toBe(1);
    const { error } = stdoutJson<ErrorOutput>(refused);
    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain('hearth serve');
    expect(error.message).toContain(`process ${servePid}`);
    expect(error.message).toContain(hostname());
    expect(error.details?.holder).toMatchObject({ pid: servePid, host: hostname(), purpose: 'hearth serve' });

    // In-process too: the same answer whoever asks.
    const inProcess = await lockedError(openTestHearth(folder));
    expect(inProcess.message).toContain(`process ${servePid}`);

    expect(await serve.stop('SIGTERM')).toMatchObject({ code: 0 });
    running = false;
    expect(existsSync(folder.lockFile)).toBe(false);
    const after = await runHearth([...folder.opts, 'call', 'settings.get']);
    expect(after.code).toBe(0);
    expect(stdoutJson<{ id: string }>(after).id).toBe('workspace');
  });

  test('closing releases the folder: the lock file is removed and the next open succeeds', async () => {
    const folder = await dataFolder();
    const first = await openTestHearth(folder);
    expect(holderIn(folder.lockFile)).toMatchObject({ pid: process.pid, purpose: 'test' });
    await first.close();
    expect(existsSync(folder.lockFile)).toBe(false);
    await first.close(); // closing twice is harmless
    const second = await open(folder);
    expect((await second.dispatcher.call('settings.get', {}, second.localActor)).ok).toBe(true);
  });
});

describe('taking over after a crash', () => {
  test('a lock left by a process that is no longer running is taken over', async () => {
    const folder = await dataFolder();
    writeLock(folder.lockFile, { purpose: 'hearth serve' });
    const hearth = await open(folder);
    expect((await hearth.dispatcher.call('settings.get', {}, hearth.localActor)).ok).toBe(true);
    expect(holderIn(folder.lockFile)).toMatchObject({ pid: process.pid, purpose: 'test' });
  });

  test('a serve killed with SIGKILL leaves its lock behind, and the next command takes it over', async () => {
    const folder = await dataFolder();
    const serve = await startServe(folder.opts);
    const end = await serve.stop('SIGKILL');
    expect(end.signal).toBe('SIGKILL');
    expect(holderIn(folder.lockFile)).toMatchObject({ pid: serve.child.pid, purpose: 'hearth serve' });

    const result = await runHearth([...folder.opts, 'call', 'settings.get']);
    expect(result.code).toBe(0);
    expect(existsSync(folder.lockFile)).toBe(false);
  });

  test('an empty or garbled lock file (a crash while writing it) is taken over', async () => {
    const folder = await dataFolder();
    for (const content of ['', '{"pid": 12']) {
      writeFileSync(folder.lockFile, content);
      const hearth = await openTestHearth(folder);
      expect(holderIn(folder.lockFile).pid).toBe(process.pid);
      await hearth.close();
    }
  });

  test('a lock held on another machine is respected: its process cannot be checked from here', async () => {
    const folder = await dataFolder();
    writeLock(folder.lockFile, { host: 'front-desk-pc', purpose: 'hearth serve' });
    const error = await lockedError(openTestHearth(folder));
    expect(error.message).toContain('front-desk-pc');
    expect(holderIn(folder.lockFile).host).toBe('front-desk-pc');
  });
});

describe('acquireLock', () => {
  test('records the holder (purpose, pid, host) in the lock file', async () => {
    const folder = await dataFolder();
    const lock = acquireLock(folder.lockFile, 'hearth backup');
    cleanups.push(() => lock.release());
    expect(lock.holder).toMatchObject({ purpose: 'hearth backup', pid: process.pid, host: hostname() });
    expect(holderIn(folder.lockFile)).toEqual(lock.holder);
  });

  test('release removes only its own lock, never a lock someone else now holds', async () => {
    const folder = await dataFolder();
    const lock = acquireLock(folder.lockFile, 'hearth backup');
    const someoneElse: LockHolder = { pid: process.pid, host: hostname(), startedAt: 1, purpose: 'hearth serve' };
    writeFileSync(folder.lockFile, JSON.stringify(someoneElse));
    lock.release();
    expect(holderIn(folder.lockFile)).toEqual(someoneElse);

    const mine = acquireLock(join(folder.root, 'other.lock'), 'hearth verify');
    mine.release();
    mine.release();
    expect(existsSync(join(folder.root, 'other.lock'))).toBe(false);
  });
});
