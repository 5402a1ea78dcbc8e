import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// A real Secret Service (gnome-keyring) in a private D-Bus session, as ../shared/ENVIRONMENT.md describes.
const tools = ['dbus-run-session', 'gnome-keyring-daemon'];
const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length > 0)
  console.log(
    `Skipping the Secret Service tests: ${missing.join(', ')} not installed (apt-get install dbus gnome-keyring).`,
  );

const hearth = join(process.cwd(), 'bin', 'hearth.js');
let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share') };
  const runtime = join(home, 'run');
  mkdirSync(runtime, { recursive: true });
  chmodSync(runtime, 0o700);
  env.XDG_RUNTIME_DIR = runtime;
  return env;
}

/** Runs shell lines inside one D-Bus session with an unlocked keyring; returns each line's output. */
function inKeyringSession(home: string, lines: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = [
    'eval "$(printf %s pw | gnome-keyring-daemon --unlock --components=secrets)"',
    'export GNOME_KEYRING_CONTROL',
    ...lines.map((line) => `${line}; echo "--exit $?--"`),
  ].join('\n');
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
    env: isolatedEnv(home),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(missing.length > 0)('the OS keychain key source', () => {
  it('keeps the key in the Secret Service, not in the data folder, and opens the folder with it', () => {
    root = mkdtempSync(join(tmpdir(), 'hearth-keychain-'));
    const data = join(root, 'data');
    const run = inKeyringSession(root, [
      `node ${hearth} --data-dir ${data} init`,
      `node ${hearth} --data-dir ${data} call settings.update '{"version":1,"patch":{"firmName":"Keychain Firm"}}'`,
      `node ${hearth} --data-dir ${data} call settings.get`,
      `node ${hearth} --data-dir ${data} key show --yes`,
      `secret-tool lookup service "Hearth CRM" 2>/dev/null || node -e "require('keytar').findCredentials('Hearth CRM').then(c => console.log(c[0].password))"`,
    ]);
    const sections = run.stdout.split(/--exit (\d+)--\n?/);
    // split keeps the captured exit codes at odd positions
    const exits = sections.filter((_, i) => i % 2 === 1).map(Number);
    expect(exits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(sections[4]).toContain('"firmName": "Keychain Firm"');
    const escrowed = sections[6]!.trim();
    expect(escrowed).toMatch(/^[0-9a-f]{64}$/);
    expect(sections[8]!.trim()).toBe(escrowed);

    const keyJson = JSON.parse(readFileSync(join(data, 'key.json'), 'utf8'));
    expect(keyJson).toMatchObject({ source: 'keychain', slots: {} });
    expect(readFileSync(join(data, 'key.json'), 'utf8')).not.toContain(escrowed);
  });

  it('survives a rekey: the keychain entry is replaced and the data stays readable', () => {
    root = mkdtempSync(join(tmpdir(), 'hearth-keychain-'));
    const data = join(root, 'data');
    const run = inKeyringSession(root, [
      `node ${hearth} --data-dir ${data} init`,
      `node ${hearth} --data-dir ${data} key show --yes`,
      `node ${hearth} --data-dir ${data} rekey`,
      `node ${hearth} --data-dir ${data} key show --yes`,
      `node ${hearth} --data-dir ${data} verify`,
    ]);
    const sections = run.stdout.split(/--exit (\d+)--\n?/);
    expect(sections.filter((_, i) => i % 2 === 1).map(Number)).toEqual([0, 0, 0, 0, 0]);
    const before = sections[2]!.trim();
    const after = sections[6]!.trim();
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
    expect(sections[8]).toContain('Audit log: ok');
  });
});

describe('without a keychain', () => {
  it('says so clearly and points to a passphrase or a key file', () => {
    root = mkdtempSync(join(tmpdir(), 'hearth-keychain-'));
    const run = spawnSync('node', [hearth, '--data-dir', join(root, 'data'), 'init'], {
      env: { PATH: process.env.PATH, HOME: root },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/OS keychain is not available/);
    expect(run.stderr).toMatch(/--passphrase-file/);
    expect(run.stderr).toMatch(/KEY_UNAVAILABLE/);
  });
});
