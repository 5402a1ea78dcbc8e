import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HearthEvent } from '../src/api/events.js';
import { openHearth } from '../src/datafolder/hearth.js';
import { passphraseProvider } from '../src/keys/passphrase.js';
import { createDesktopCore, type DesktopCore, type DesktopCoreOptions } from './desktop-core.js';
import { fakeSafeStorage } from './keys/safe-storage.fake.js';

const PASSPHRASE = 'correct horse battery staple';

describe('desktop core', () => {
  let dir: string;
  const cores: DesktopCore[] = [];

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'hearth-desktop-')), 'Hearth');
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.close()));
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  function core(options: Partial<DesktopCoreOptions> = {}): DesktopCore & { events: HearthEvent[] } {
    const events: HearthEvent[] = [];
    const created = createDesktopCore({
      dataDir: dir,
      safeStorage: fakeSafeStorage(),
      purpose: 'the Hearth desktop app',
      platform: 'linux',
      onEvent: (event) => events.push(event),
      ...options,
    });
    cores.push(created);
    return Object.assign(created, { events });
  }

  it('asks for first-run setup when the folder has no key.json', async () => {
    const app = core();
    expect(await app.start()).toBe('needs-setup');
    expect(await app.call('app.setupStatus', {})).toEqual({
      ok: true,
      value: { state: 'needs-setup', dataDir: dir, keychainAvailable: true },
    });
    expect(await app.call('settings.get', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('sets up with the OS keychain, opens at once, and reopens without asking anything', async () => {
    const first = core();
    expect(await first.call('app.setup', { keySource: 'keychain' })).toEqual({ ok: true, value: { state: 'ready' } });
    const meta = JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8')) as {
      source: string;
      slots: { current: unknown };
    };
    expect(meta.source).toBe('safeStorage');
    expect(typeof meta.slots.current).toBe('string');
    expect(await first.call('settings.get', {})).toMatchObject({ ok: true });
    await first.close();

    const second = core();
    expect(await second.start()).toBe('ready');
    expect(await second.call('app.setupStatus', {})).toMatchObject({ ok: true, value: { state: 'ready' } });
  });

  it('forwards change events after a write', async () => {
    const app = core();
    await app.call('app.setup', { keySource: 'keychain' });
    const settings = await app.call('settings.get', {});
    if (!settings.ok) throw new Error('settings.get failed');
    const { version } = settings.value as { version: number };
    expect(await app.call('settings.update', { version, patch: { firmName: 'Acme' } })).toMatchObject({ ok: true });
    expect(app.events).toEqual([expect.objectContaining({ type: 'change', procedure: 'settings.update' })]);
  });

  it('sets up with a passphrase, then starts locked until the right passphrase is given', async () => {
    const first = core();
    expect(await first.call('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
    });
    await first.close();

    const second = core();
    expect(await second.start()).toBe('locked');
    expect(await second.call('settings.get', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'Unlock Hearth first.' },
    });
    expect(await second.call('app.unlock', { passphrase: 'wrong passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_KEY' },
    });
    expect(await second.call('app.setupStatus', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await second.call('app.unlock', { passphrase: PASSPHRASE })).toEqual({
      ok: true,
      value: { state: 'ready' },
    });
    expect(await second.call('settings.get', {})).toMatchObject({ ok: true });
  });

  it('refuses a short passphrase and leaves the folder ready for another try', async () => {
    const app = core();
    expect(await app.call('app.setup', { keySource: 'passphrase', passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await app.call('app.setupStatus', {})).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
    expect(await app.call('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
    });
  });

  it('refuses keychain setup on a Linux without a keyring and says to use a passphrase', async () => {
    const app = core({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    expect(await app.call('app.setupStatus', {})).toMatchObject({ ok: true, value: { keychainAvailable: false } });
    expect(await app.call('app.setup', { keySource: 'keychain' })).toMatchObject({
      ok: false,
      error: { code: 'KEY_UNAVAILABLE', message: expect.stringMatching(/passphrase/) },
    });
    expect(existsSync(join(dir, 'key.json'))).toBe(false);
  });

  it('sets up only once, even when asked twice at the same time', async () => {
    const app = core();
    const [a, b] = await Promise.all([
      app.call('app.setup', { keySource: 'keychain' }),
      app.call('app.setup', { keySource: 'keychain' }),
    ]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: false, error: { code: 'ALREADY_INITIALIZED' } });
  });

  it('validates the setup input', async () => {
    const app = core();
    expect(await app.call('app.setup', { keySource: 'passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'passphrase' }] } },
    });
    expect(await app.call('app.setup', { keySource: 'usb-stick' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await app.call('app.setup', null)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await app.call('app.setupStatus', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('names the process that holds the folder when it is locked', async () => {
    const setup = core();
    await setup.call('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await setup.close();
    const server = await openHearth({ dir, provider: () => passphraseProvider(PASSPHRASE), purpose: 'hearth serve' });
    try {
      const app = core();
      expect(await app.call('app.unlock', { passphrase: PASSPHRASE })).toMatchObject({
        ok: false,
        error: {
          code: 'LOCKED',
          message: expect.stringContaining('hearth serve'),
          details: { holder: { pid: process.pid } },
        },
      });
    } finally {
      await server.close();
    }
  });

  it('fails to start, naming the holder, when another process holds a passphrase folder', async () => {
    const setup = core();
    await setup.call('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await setup.close();
    const server = await openHearth({ dir, provider: () => passphraseProvider(PASSPHRASE), purpose: 'hearth serve' });
    try {
      await expect(core().start()).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining('hearth serve'),
      });
    } finally {
      await server.close();
    }
    // The check took the lock only for a moment.
    expect(await core().start()).toBe('locked');
    expect(existsSync(join(dir, 'hearth.lock'))).toBe(false);
  });

  it('fails to start, naming the holder, when another process holds a keychain folder', async () => {
    const setup = core();
    await setup.call('app.setup', { keySource: 'keychain' });
    await setup.close();
    const holder = core({ purpose: 'hearth serve' });
    expect(await holder.start()).toBe('ready');
    await expect(core().start()).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('hearth serve'),
    });
  });

  it('does not let a desktop procedure name reach the dispatcher or the other way round', async () => {
    const app = core();
    await app.call('app.setup', { keySource: 'keychain' });
    expect(await app.call('app.other', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await app.call('system.info', {})).toMatchObject({ ok: true });
  });
});
