// npm start's preparation steps, and how they fail where Electron cannot be downloaded.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ELECTRON_DIR,
  electronEnv,
  electronExecutable,
  ensureElectronBinary,
  ensureElectronNative,
  isStale,
  nodeGypEnv,
  ROOT,
  StartError,
} from '../../scripts/start-electron.mjs';

/** A local port with nothing listening, so downloads fail at once and never reach the internet. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const STACK_FRAME = /^\s+at\s/m;

describe('npm start preparation', () => {
  const temps: string[] = [];
  const temp = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `hearth-start-${name}-`));
    temps.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('explains that the Electron binary could not be downloaded, without a stack trace', async () => {
    // A copy of the electron package without its binary, as `npm ci` leaves it.
    const electronDir = temp('electron');
    for (const file of ['package.json', 'install.js', 'checksums.json'])
      copyFileSync(join(ELECTRON_DIR, file), join(electronDir, file));
    const env = {
      ...process.env,
      NODE_PATH: join(ROOT, 'node_modules'),
      ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
      electron_config_cache: temp('cache'),
    };
    let error: unknown;
    try {
      ensureElectronBinary({ electronDir, env, log: () => {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StartError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Could not download Electron \d+\.\d+\.\d+: .+/);
    expect(message).toMatch(/github\.com .*network connection or proxy/);
    expect(message).not.toMatch(STACK_FRAME);
    expect(electronExecutable(electronDir)).toBeNull();
  }, 60_000);

  it("explains that Electron's headers could not be downloaded when building the SQLite addon", async () => {
    const nativeRoot = temp('native');
    const distUrl = `http://127.0.0.1:${await closedPort()}`;
    let error: unknown;
    try {
      ensureElectronNative({ version: '45.4.1', nativeRoot, distUrl, devDir: temp('gyp'), log: () => {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StartError);
    const message = (error as Error).message;
    expect(message).toContain(`node-gyp could not download Electron's headers from ${distUrl}`);
    expect(message).not.toMatch(STACK_FRAME);
    // Nothing half-built is left to be mistaken for a finished build.
    expect(spawnSync('find', [nativeRoot, '-type', 'f'], { encoding: 'utf8' }).stdout).toBe('');
  }, 120_000);

  it('skips the build when one for the same Electron and addon versions exists', () => {
    const nativeRoot = temp('native');
    const pkg = JSON.parse(
      spawnSync(process.execPath, ['-p', 'JSON.stringify(require("better-sqlite3-multiple-ciphers/package.json"))'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).stdout,
    ) as { version: string };
    mkdirSync(join(nativeRoot, '45.4.1'), { recursive: true });
    writeFileSync(join(nativeRoot, '45.4.1', 'better_sqlite3.node'), 'built earlier');
    writeFileSync(
      join(nativeRoot, '45.4.1', 'build.json'),
      JSON.stringify({ electron: '45.4.1', package: pkg.version, platform: process.platform, arch: process.arch }),
    );
    const logs: string[] = [];
    expect(
      ensureElectronNative({ version: '45.4.1', nativeRoot, distUrl: 'http://127.0.0.1:9', log: (m) => logs.push(m) }),
    ).toBe(join(nativeRoot, '45.4.1', 'better_sqlite3.node'));
    expect(logs).toEqual([]);
  });

  it("keeps the user's npm settings away from node-gyp except the network ones", () => {
    const env = nodeGypEnv({
      PATH: '/usr/bin',
      npm_config_nodedir: '/usr',
      npm_config_target: '20.0.0',
      NPM_CONFIG_RUNTIME: 'node',
      npm_config_https_proxy: 'http://proxy:3128',
      npm_package_config_node_gyp_nodedir: '/opt/node',
    });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_https_proxy: 'http://proxy:3128' });
  });

  it('runs Electron with the addon built for it and never as plain Node', () => {
    expect(electronEnv('/x/better_sqlite3.node', { ELECTRON_RUN_AS_NODE: '1', HOME: '/home/a' })).toEqual({
      HOME: '/home/a',
      HEARTH_SQLITE_BINDING: '/x/better_sqlite3.node',
    });
  });

  it('calls the build stale when an output is missing or older than a source', () => {
    const root = temp('build');
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'src', 'a.ts'), '');
    expect(isStale(['dist/a.js'], ['src'], root)).toBe(true);
    writeFileSync(join(root, 'dist', 'a.js'), '');
    utimesSync(join(root, 'src', 'a.ts'), new Date(1_000_000), new Date(1_000_000));
    expect(isStale(['dist/a.js'], ['src'], root)).toBe(false);
    writeFileSync(join(root, 'src', 'b.ts'), '');
    utimesSync(join(root, 'dist', 'a.js'), new Date(1_000_000), new Date(1_000_000));
    expect(isStale(['dist/a.js'], ['src'], root)).toBe(true);
    // Editing a test does not call for a rebuild.
    utimesSync(join(root, 'src', 'b.ts'), new Date(1_000_000), new Date(1_000_000));
    writeFileSync(join(root, 'src', 'b.test.ts'), '');
    expect(isStale(['dist/a.js'], ['src'], root)).toBe(false);
  });

  it.skipIf(electronExecutable() !== null)(
    'npm start fails with one clear message where Electron cannot be downloaded',
    async () => {
      const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start-electron.mjs')], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
          electron_config_cache: temp('cache'),
        },
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^hearth start: Could not download Electron /m);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    },
    60_000,
  );
});
