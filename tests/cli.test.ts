// The `hearth` command as a user or a script runs it: `node bin/hearth.js ...` against temporary data folders.
// Steps that only set up or inspect a folder run in-process (each spawn costs a Node start-up); what is
// under test always runs through the real command.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, test, type OnTestFinishedHandler } from 'vitest';
import { type CliIO, main } from '../src/cli/main.js';
import { initDataFolder, openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { LATEST_SCHEMA_VERSION } from '../migrations/index.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { passphraseProvider } from '../src/keys/passphrase.js';
import {
  ensureCliBuilt,
  makeTempRoot,
  runHearth,
  sha256File,
  snapshotFiles,
  startServe,
  stdoutJson,
  type CliResult,
} from './support/cli.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';

interface Settings {
  id: string;
  version: number;
  firmName: string;
}

interface ErrorOutput {
  error: { code: string; message: string; details?: unknown };
}

const KEY_HEX = /^[0-9a-f]{64}$/;

// Tests run concurrently (most of their time is Node start-ups), so each cleans up through its own context.
type OnFinished = (fn: OnTestFinishedHandler) => void;

beforeAll(() => ensureCliBuilt());

/** A fresh initialized data folder with its key file outside it; removed after the test. */
async function dataFolder(onFinished: OnFinished): Promise<TempFolder & { opts: string[] }> {
  const folder = await makeDataFolder();
  onFinished(() => folder.cleanup());
  return { ...folder, opts: ['--data-dir', folder.dir, '--key-file', folder.keyFile] };
}

function tempRoot(onFinished: OnFinished): string {
  const temp = makeTempRoot();
  onFinished(() => temp.cleanup());
  return temp.root;
}

function expectExit(result: CliResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`expected exit ${code}, got ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

async function using<T>(open: Promise<Hearth>, run: (hearth: Hearth) => Promise<T>): Promise<T> {
  const hearth = await open;
  try {
    return await run(hearth);
  } finally {
    await hearth.close();
  }
}

async function settingsIn(hearth: Hearth): Promise<Settings> {
  const result = await hearth.dispatcher.call('settings.get', {}, hearth.localActor);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Settings;
}

/** Reads the settings in-process, opening the folder with its key file (or another one). */
function settingsOf(folder: TempFolder, keyFile = folder.keyFile): Promise<Settings> {
  return using(openHearth({ dir: folder.dir, provider: () => keyFileProvider(keyFile), purpose: 'test' }), settingsIn);
}

function renameFirm(folder: TempFolder, firmName: string): Promise<void> {
  return using(openTestHearth(folder), async (hearth) => {
    const { version } = await settingsIn(hearth);
    const result = await hearth.dispatcher.call('settings.update', { version, patch: { firmName } }, hearth.localActor);
    if (!result.ok) throw new Error(result.error.message);
  });
}

describe.concurrent('hearth init', () => {
  test('creates an encrypted data folder and a fresh key file that opens it', async ({ expect, onTestFinished }) => {
    const root = tempRoot(onTestFinished);
    const dir = join(root, 'data');
    const keyFile = join(root, 'hearth.key');
    const init = await runHearth(['--data-dir', dir, '--key-file', keyFile, '--json', 'init']);
    expectExit(init, 0);
    expect(stdoutJson(init)).toEqual({ dataDir: dir, keySource: 'keyfile' });

    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(KEY_HEX);
    expect(statSync(keyFile).mode & 0o077).toBe(0); // only the owner may read the key
    expect(JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8'))).toMatchObject({ source: 'keyfile', slots: {} });
    // Encrypted at rest: no SQLite header and no readable schema in the file.
    const db = readFileSync(join(dir, 'hearth.db'));
    expect(db.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(db.includes(Buffer.from('audit_log'))).toBe(false);

    expect(await settingsOf({ root, dir, keyFile, cleanup: () => {} })).toMatchObject({ id: 'workspace', version: 1 });
  });

  test('refuses a folder that already holds Hearth data (exit 1, ALREADY_INITIALIZED) and changes nothing', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const before = snapshotFiles(folder.root);
    const otherKey = join(folder.root, 'other.key');

    const again = await runHearth(['--data-dir', folder.dir, '--key-file', otherKey, '--json', 'init']);
    expectExit(again, 1);
    expect(stdoutJson<ErrorOutput>(again).error.code).toBe('ALREADY_INITIALIZED');
    expect(existsSync(otherKey)).toBe(false);
    expect(snapshotFiles(folder.root)).toEqual(before);
  });

  test('refuses a key file inside the data folder it would protect (usage error, exit 2)', async ({
    expect,
    onTestFinished,
  }) => {
    const root = tempRoot(onTestFinished);
    const dir = join(root, 'data');
    const result = await runHearth(['--data-dir', dir, '--key-file', join(dir, 'hearth.key'), 'init']);
    expectExit(result, 2);
    expect(result.stderr).toMatch(/outside the data folder/);
    expect(existsSync(dir)).toBe(false);
  });

  test('refuses a key file inside the data folder even when its name starts with two dots', async ({
    expect,
    onTestFinished,
  }) => {
    const root = tempRoot(onTestFinished);
    const dir = join(root, 'data');
    const keyFile = join(dir, '..hearth.key'); // inside data/, though its relative path starts with ".."
    const result = await runHearth(['--data-dir', dir, '--key-file', keyFile, 'init']);
    expect({ code: result.code, keyFileCreated: existsSync(keyFile) }).toEqual({ code: 2, keyFileCreated: false });
  });
});

describe.concurrent('hearth call', () => {
  test('prints the result as JSON and exits 0', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'call', 'system.info']);
    expectExit(result, 0);
    expect(stdoutJson(result)).toMatchObject({
      dataDir: folder.dir,
      schemaVersion: LATEST_SCHEMA_VERSION,
      counts: { users: 1 },
    });
  });

  test('an API error prints {"error":…} on stdout and exits 1', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([
      ...folder.opts,
      'call',
      'settings.update',
      '{"version":42,"patch":{"firmName":"X"}}',
    ]);
    expectExit(result, 1);
    const body = stdoutJson<ErrorOutput>(result);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatchObject({ code: 'CONFLICT', details: { current: { version: 1 } } });
    expect((await settingsOf(folder)).version).toBe(1);
  });

  test('reads the input from standard input with -', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'call', 'settings.update', '-'], {
      input: JSON.stringify({ version: 1, patch: { firmName: 'Piped In & Co' } }),
    });
    expectExit(result, 0);
    expect(stdoutJson<Settings>(result)).toMatchObject({ firmName: 'Piped In & Co', version: 2 });
    expect((await settingsOf(folder)).firmName).toBe('Piped In & Co');
  });

  test('finds the folder and its key through HEARTH_DATA_DIR and HEARTH_KEY_FILE', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth(['call', 'settings.get'], {
      env: { HEARTH_DATA_DIR: folder.dir, HEARTH_KEY_FILE: folder.keyFile },
    });
    expectExit(result, 0);
    expect(stdoutJson<Settings>(result).id).toBe('workspace');
  });

  test('usage errors (invalid JSON, unknown command, missing argument) exit 2 and print no result', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const cases = {
      'invalid JSON': [...folder.opts, 'call', 'settings.get', '{not json'],
      'unknown command': [...folder.opts, 'frobnicate'],
      'missing procedure': [...folder.opts, 'call'],
    };
    const results = await Promise.all(Object.values(cases).map((args) => runHearth(args)));
    const codes = Object.fromEntries(Object.keys(cases).map((name, i) => [name, results[i]!.code]));
    expect(codes).toEqual({ 'invalid JSON': 2, 'unknown command': 2, 'missing procedure': 2 });
    for (const result of results) {
      expect(result.stdout).toBe('');
      expect(result.stderr.length).toBeGreaterThan(0);
    }
    expect(results[0]!.stderr).toContain('not valid JSON');
  });
});

describe.concurrent('hearth verify, backup, restore and migrate', () => {
  test('verify exits 0 on a sound folder', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, '--json', 'verify']);
    expectExit(result, 0);
    expect(stdoutJson(result)).toMatchObject({ ok: true, integrity: [], audit: { ok: true, problems: [] } });
  });

  test('verify exits 1 when an audit entry was edited behind its back', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    await using(openTestHearth(folder), async (hearth) => {
      hearth.sqlite.exec('DROP TRIGGER audit_log_no_update');
      hearth.sqlite.prepare("UPDATE audit_log SET procedure = 'system.nothing' WHERE seq = 1").run();
    });
    const result = await runHearth([...folder.opts, '--json', 'verify']);
    expectExit(result, 1);
    expect(stdoutJson(result)).toMatchObject({ ok: false, audit: { ok: false } });
  });

  test('backup then restore brings back the earlier state and keeps the replaced database', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    await renameFirm(folder, 'Before Backup Ltd');
    const backupFile = join(folder.root, 'monday.hearth-backup');
    expectExit(await runHearth([...folder.opts, 'backup', '--out', backupFile]), 0);
    expect(existsSync(backupFile)).toBe(true);
    expect(readFileSync(backupFile).includes(Buffer.from('Before Backup Ltd'))).toBe(false); // encrypted

    await renameFirm(folder, 'After Backup Ltd');
    const restore = await runHearth([...folder.opts, '--json', 'restore', backupFile]);
    expectExit(restore, 0);
    const { previousSavedTo } = stdoutJson<{ previousSavedTo: string }>(restore);
    expect(existsSync(previousSavedTo)).toBe(true);

    expect(await settingsOf(folder)).toMatchObject({ firmName: 'Before Backup Ltd', version: 2 });
  });

  test('backup refuses to overwrite an existing file', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const target = join(folder.root, 'exists.db');
    writeFileSync(target, 'precious');
    const result = await runHearth([...folder.opts, '--json', 'backup', '--out', target]);
    expectExit(result, 1);
    expect(stdoutJson<ErrorOutput>(result).error.code).toBe('VALIDATION');
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  test('migrate --status lists 0001_foundation as applied', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'migrate', '--status']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s+applied\s+0001_foundation\b/m);
    expect(result.stdout).not.toMatch(/pending/);
  });
});

describe.concurrent('keys', () => {
  test('rekey puts a new key in the key file; the data stays readable; the old key and old backups are refused', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    await renameFirm(folder, 'Rekeyed Partners');
    const oldKey = readFileSync(folder.keyFile, 'utf8').trim();
    const oldBackup = join(folder.root, 'before-rekey.db');
    await using(openTestHearth(folder), async (hearth) => hearth.backup(oldBackup));

    expectExit(await runHearth([...folder.opts, 'rekey']), 0);
    const newKey = readFileSync(folder.keyFile, 'utf8').trim();
    expect(newKey).toMatch(KEY_HEX);
    expect(newKey).not.toBe(oldKey);
    expect(existsSync(`${folder.keyFile}.pending`)).toBe(false);
    expect((await settingsOf(folder)).firmName).toBe('Rekeyed Partners');

    const oldKeyFile = join(folder.root, 'old.key');
    writeFileSync(oldKeyFile, oldKey + '\n', { mode: 0o600 });
    await expect(settingsOf(folder, oldKeyFile)).rejects.toMatchObject({ code: 'WRONG_KEY' });

    const dbBefore = sha256File(join(folder.dir, 'hearth.db'));
    const restore = await runHearth([...folder.opts, '--json', 'restore', oldBackup]);
    expectExit(restore, 1);
    expect(stdoutJson<ErrorOutput>(restore).error.code).toBe('WRONG_KEY');
    expect(sha256File(join(folder.dir, 'hearth.db'))).toBe(dbBefore);
    expect(existsSync(join(folder.dir, 'backups'))).toBe(false);
    expect((await settingsOf(folder)).firmName).toBe('Rekeyed Partners');
  });

  test('changing the passphrase is instant: the old one stops working, the new one works, hearth.db is untouched', async ({
    expect,
    onTestFinished,
  }) => {
    const root = tempRoot(onTestFinished);
    const dir = join(root, 'data');
    const oldPass = join(root, 'old.pass');
    const newPass = join(root, 'new.pass');
    writeFileSync(oldPass, 'correct horse battery\n');
    writeFileSync(newPass, 'staple orbit lantern\n');
    await initDataFolder({ dir, provider: passphraseProvider('correct horse battery'), userName: 'Test Admin' });
    const database = join(dir, 'hearth.db');
    const dbBefore = sha256File(database);

    const change = await runHearth([
      '--data-dir',
      dir,
      '--passphrase-file',
      oldPass,
      'passphrase',
      '--new-passphrase-file',
      newPass,
    ]);
    expectExit(change, 0);
    expect(sha256File(database)).toBe(dbBefore);

    const withOld = await runHearth(['--data-dir', dir, '--passphrase-file', oldPass, 'call', 'settings.get']);
    expectExit(withOld, 1);
    expect(stdoutJson<ErrorOutput>(withOld).error.code).toBe('WRONG_KEY');

    const opened = openHearth({ dir, provider: () => passphraseProvider('staple orbit lantern'), purpose: 'test' });
    expect((await using(opened, settingsIn)).id).toBe('workspace');
  });

  test('key show --yes prints the 64-hex key, the same one the key file holds', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'key', 'show', '--yes']);
    expectExit(result, 0);
    expect(result.stdout.trim()).toMatch(KEY_HEX);
    expect(result.stdout.trim()).toBe(readFileSync(folder.keyFile, 'utf8').trim());
  });

  test('key show without --yes exits 2 and prints nothing secret', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'key', 'show']);
    expectExit(result, 2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--yes');
    expect(result.stderr).not.toContain(readFileSync(folder.keyFile, 'utf8').trim());
  });

  test('key import restores access after the key file was replaced by garbage', async ({ expect, onTestFinished }) => {
    const folder = await dataFolder(onTestFinished);
    await renameFirm(folder, 'Escrowed LLP');
    const escrow = join(folder.root, 'escrow.txt');
    const shown = await runHearth([...folder.opts, 'key', 'show', '--yes']);
    expectExit(shown, 0);
    writeFileSync(escrow, shown.stdout);

    writeFileSync(folder.keyFile, 'this is not a key\n');
    await expect(settingsOf(folder)).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });

    const newKeyFile = join(folder.root, 'recovered.key');
    const imported = await runHearth([
      '--data-dir',
      folder.dir,
      '--key-file',
      newKeyFile,
      'key',
      'import',
      '--hex-file',
      escrow,
    ]);
    expectExit(imported, 0);
    expect(readFileSync(newKeyFile, 'utf8').trim()).toBe(shown.stdout.trim());
    expect((await settingsOf(folder, newKeyFile)).firmName).toBe('Escrowed LLP');
  });

  test('key import refuses a key that does not open the database and writes no key file', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const wrong = join(folder.root, 'wrong.txt');
    writeFileSync(wrong, 'ab'.repeat(32) + '\n');
    const target = join(folder.root, 'target.key');
    const keyJsonBefore = readFileSync(join(folder.dir, 'key.json'), 'utf8');
    const result = await runHearth([
      '--data-dir',
      folder.dir,
      '--key-file',
      target,
      '--json',
      'key',
      'import',
      '--hex-file',
      wrong,
    ]);
    expectExit(result, 1);
    expect(stdoutJson<ErrorOutput>(result).error.code).toBe('WRONG_KEY');
    expect(existsSync(target)).toBe(false);
    expect(readFileSync(join(folder.dir, 'key.json'), 'utf8')).toBe(keyJsonBefore);
  });
});

describe.concurrent('hearth serve', () => {
  test('a change the API confirmed survives the server being killed straight after (DESIGN.md: nothing is lost)', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const serve = await startServe(folder.opts);
    let stopped = false;
    try {
      const created = await fetch(`${serve.info.origin}/api/rpc/people.create`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${serve.info.apiToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ firstName: 'Killed', lastName: 'Rightafter' }),
      });
      expect(created.status).toBe(200);
      // No clean shutdown, no checkpoint: the commit lives only in the WAL the killed process left.
      await serve.stop('SIGKILL');
      stopped = true;
    } finally {
      if (!stopped) await serve.stop('SIGKILL');
    }
    const listed = await runHearth([...folder.opts, 'call', 'people.list', '{}']);
    expectExit(listed, 0);
    const names = stdoutJson<{ items: { displayName: string }[] }>(listed).items.map((p) => p.displayName);
    expect(names).toEqual(['Killed Rightafter']);
  });

  test('refuses to bind beyond this machine (exit 2) without touching the folder', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const result = await runHearth([...folder.opts, 'serve', '--host', '0.0.0.0', '--port', '0']);
    expectExit(result, 2);
    expect(result.stderr).toContain('127.0.0.1');
    expect(existsSync(join(folder.dir, 'hearth.lock'))).toBe(false);
  });

  test('prints where it listens as one JSON line; the link signs a browser in; SIGTERM stops it cleanly', async ({
    expect,
    onTestFinished,
  }) => {
    const folder = await dataFolder(onTestFinished);
    const serve = await startServe(folder.opts);
    let stopped = false;
    try {
      const { info } = serve;
      expect(info.origin).toBe(`http://127.0.0.1:${info.port}`);
      expect(info.url).toMatch(new RegExp(`^${info.origin}/login\\?token=[A-Za-z0-9_-]+$`));
      expect(existsSync(join(folder.dir, 'hearth.lock'))).toBe(true);

      const login = await fetch(info.url, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);

      const call = await fetch(`${info.origin}/api/rpc/settings.get`, {
        method: 'POST',
        headers: { Cookie: cookie!.split(';')[0]!, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(call.status).toBe(200);
      const scripted = await fetch(`${info.origin}/api/rpc/system.info`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(((await scripted.json()) as { dataDir: string }).dataDir).toBe(folder.dir);

      const end = await serve.stop('SIGTERM');
      stopped = true;
      expect(end).toMatchObject({ code: 0, signal: null });
      expect(existsSync(join(folder.dir, 'hearth.lock'))).toBe(false);
      await expect(fetch(`${info.origin}/`)).rejects.toThrow();
    } finally {
      if (!stopped) await serve.stop('SIGKILL');
    }
  });
});

const COMMANDS = ['init', 'call', 'verify', 'backup', 'restore', 'migrate', 'rekey', 'passphrase', 'key', 'serve'];

describe.concurrent('help', () => {
  test('hearth --help lists the commands and exits 0', async ({ expect }) => {
    const result = await runHearth(['--help']);
    expectExit(result, 0);
    for (const command of COMMANDS) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  // The same program the binary runs, in-process: thirteen Node start-ups would cost more than the rest of this file.
  test.for([...COMMANDS, 'key show', 'key import'])(
    'hearth %s --help prints its usage and exits 0',
    async (command, { expect }) => {
      const out: string[] = [];
      const io: CliIO = { out: (text) => out.push(text), err: (text) => out.push(`stderr: ${text}`) };
      const code = await main(['node', 'hearth', ...command.split(' '), '--help'], io);
      expect(code).toBe(0);
      expect(out.join('\n')).toContain(`Usage: hearth ${command} `);
    },
  );
});
