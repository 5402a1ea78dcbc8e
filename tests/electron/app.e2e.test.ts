// The desktop app end to end, in a real Electron: first run with a passphrase, the shell, then unlock.
// Runs wherever an Electron binary is installed (`npm start` downloads one); elsewhere it skips and says why.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  electronEnv,
  electronExecutable,
  ensureBuilt,
  ensureElectronNative,
  ROOT,
} from '../../scripts/start-electron.mjs';

const executable = process.env.HEARTH_ELECTRON_PATH ?? electronExecutable();
const skipReason =
  executable === null
    ? 'no Electron binary is installed (node_modules/electron/path.txt is missing: the package was installed ' +
      'with ELECTRON_SKIP_BINARY_DOWNLOAD or without network). Run `npm start` once on a connected machine, ' +
      'or set HEARTH_ELECTRON_PATH, to run it.'
    : null;
if (skipReason) console.log(`Skipping the Electron end-to-end test: ${skipReason}`);

const PASSPHRASE = 'a long and memorable passphrase';
const SCREENSHOTS = join(ROOT, 'test-results', 'electron');

describe.skipIf(skipReason !== null)('the desktop app', () => {
  let temp: string;
  let binding: string;

  beforeAll(() => {
    binding = ensureElectronNative();
    ensureBuilt();
    temp = mkdtempSync(join(tmpdir(), 'hearth-electron-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 20 * 60_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  async function launch(): Promise<{ app: ElectronApplication; window: Page }> {
    const env = electronEnv(binding, {
      ...process.env,
      HEARTH_DATA_DIR: join(temp, 'data'),
      HEARTH_USER_DATA_DIR: join(temp, 'user-data'),
    });
    const app = await electron.launch({
      executablePath: executable!,
      // As root (CI containers) Chromium will not start with its OS sandbox, so the test runs without it there.
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      timeout: 60_000,
    });
    const window = await app.firstWindow();
    return { app, window };
  }

  it('completes first run with a passphrase, shows the shell, and unlocks on the next start', async () => {
    const first = await launch();
    try {
      const { window } = first;
      await window.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
      expect(window.url()).toBe('app://hearth/index.html');

      // The page sees the bridge and nothing else of Electron or Node.
      const exposed = await window.evaluate(() => {
        const page = globalThis as unknown as Record<string, unknown>;
        return {
          bridge: Object.keys((page.hearth ?? {}) as object).sort(),
          require: typeof page.require,
          process: typeof page.process,
          electron: typeof page.electron,
        };
      });
      expect(exposed).toEqual({
        bridge: ['call', 'onEvent'],
        require: 'undefined',
        process: 'undefined',
        electron: 'undefined',
      });

      await window.getByRole('radio', { name: /A passphrase/ }).click();
      await window.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await window.getByLabel('Type it again').fill(PASSPHRASE);
      await window.getByRole('button', { name: /Create encrypted workspace/ }).click();
      await window.getByRole('heading', { name: 'Name your workspace' }).waitFor({ timeout: 30_000 });
      await window.getByRole('button', { name: 'Skip for now' }).click();
      await window.getByRole('navigation', { name: 'Main' }).waitFor();
      await window.screenshot({ path: join(SCREENSHOTS, 'shell-after-first-run.png') });
      expect(existsSync(join(temp, 'data', 'key.json'))).toBe(true);
    } finally {
      await first.app.close();
    }
    // Quitting closed the core and released the data folder.
    expect(existsSync(join(temp, 'data', 'hearth.lock'))).toBe(false);

    const second = await launch();
    try {
      const { window } = second;
      await window.getByRole('heading', { name: 'Unlock Hearth' }).waitFor();
      await window.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await window.getByRole('button', { name: 'Unlock' }).click();
      await window.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
      await window.screenshot({ path: join(SCREENSHOTS, 'shell-after-unlock.png') });
    } finally {
      await second.app.close();
    }
  }, 180_000);
});
