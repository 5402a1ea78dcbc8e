// electron/main.ts run under Node against a fake Electron: what it registers, how it treats callers, how it quits.
// The real Electron run is app.e2e.test.ts, which needs a binary; this one runs everywhere.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/app-protocol.js';
import { createDesktopCore } from '../../electron/desktop-core.js';
import { fakeSafeStorage } from '../../electron/keys/safe-storage.fake.js';
import { createFakeElectron, FakeWebContents, type FakeElectron } from './fake-electron.js';

const PASSPHRASE = 'correct horse battery staple';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A set-up data folder that another program ("hearth serve") has open, as the desktop app would meet it. */
async function folderHeldByAnotherProgram(dataDir: string) {
  const setup = createDesktopCore({
    dataDir,
    safeStorage: fakeSafeStorage(),
    purpose: 'setup',
    platform: 'linux',
    onEvent: () => {},
  });
  await setup.call('app.setup', { keySource: 'keychain' });
  await setup.close();
  const holder = createDesktopCore({
    dataDir,
    safeStorage: fakeSafeStorage(),
    purpose: 'hearth serve',
    platform: 'linux',
    onEvent: () => {},
  });
  await holder.start();
  return holder;
}

describe('the Electron main process', () => {
  let temp: string;
  let electron: FakeElectron;
  const savedEnv = { ...process.env };

  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'hearth-main-'));
    process.env.HEARTH_DATA_DIR = join(temp, 'data');
    delete process.env.HEARTH_USER_DATA_DIR;
    vi.resetModules();
  });
  afterEach(async () => {
    // Quit whatever the test left running so the data folder's lock is released.
    if (electron) electron.app.quit();
    await until(() => !existsSync(join(temp, 'data', 'hearth.lock')), 'the lock to be released').catch(() => {});
    process.env = { ...savedEnv };
    vi.doUnmock('electron');
    rmSync(temp, { recursive: true, force: true });
  });

  async function startMain(dialogResponses: number[] = []): Promise<void> {
    electron = createFakeElectron({ appData: join(temp, 'appData'), dialogResponses });
    vi.doMock('electron', () => electron.module);
    await import('../../electron/main.js');
    electron.ready();
  }

  async function startWithWindow() {
    await startMain();
    await until(() => electron.windows.length === 1, 'the window');
    const window = electron.windows[0]!;
    const call = electron.ipcHandlers.get('hearth:call')!;
    const fromWindow = (procedure: string, input: unknown = {}) =>
      call(
        { sender: window.webContents, senderFrame: window.webContents.mainFrame } as never,
        procedure as never,
        input as never,
      );
    return { window, call, fromWindow };
  }

  it('registers app:// as a privileged scheme and sandboxes every renderer before the app is ready', async () => {
    await startMain();
    const register = electron.calls.find((c) => c.api === 'protocol.registerSchemesAsPrivileged');
    expect(register?.args[0]).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(electron.calls.some((c) => c.api === 'app.enableSandbox')).toBe(true);
    // Chromium's profile stays out of the data folder.
    expect(electron.app.getPath('userData')).toBe(join(temp, 'appData', 'Hearth Desktop'));
  });

  it('opens one sandboxed, isolated window on app://hearth with the preload', async () => {
    const { window } = await startWithWindow();
    expect(window.loadedUrl).toBe('app://hearth/index.html');
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences.preload)).toMatch(/electron[/\\]preload\.cjs$/);
  });

  it('serves the renderer with the strict CSP through the protocol handler', async () => {
    await startWithWindow();
    const handler = electron.protocolHandlers.get('app')!;
    const response = await handler(new Request('app://hearth/index.html'));
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler(new Request('app://hearth/..%2fpackage.json'))).status).toBe(403);
  });

  it('denies every permission and blocks network requests from web pages', async () => {
    await startWithWindow();
    const { session } = electron;
    const granted: boolean[] = [];
    session.permissionRequestHandler!({}, 'media', (answer) => granted.push(answer));
    session.permissionRequestHandler!({}, 'notifications', (answer) => granted.push(answer));
    expect(granted).toEqual([false, false]);
    expect(session.permissionCheckHandler!()).toBe(false);
    expect(session.devicePermissionHandler!()).toBe(false);
    const cancel = (url: string) => {
      let result: boolean | undefined;
      session.beforeRequest!.listener({ url }, (response) => (result = response.cancel));
      return result;
    };
    expect(cancel('https://example.com/tracker.gif')).toBe(true);
    expect(cancel('app://hearth/assets/app.js')).toBe(false);
  });

  it('keeps windows on the app, sends links to the system browser, and refuses webviews', async () => {
    const { window } = await startWithWindow();
    const contents = window.webContents;
    const navigate = (url: string) => {
      const event = { url, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      contents.emit('will-navigate', event);
      return event.defaultPrevented;
    };
    expect(navigate('app://hearth/index.html')).toBe(false);
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/docs' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await until(() => electron.calls.filter((c) => c.api === 'shell.openExternal').length === 2, 'external links');
    expect(electron.calls.filter((c) => c.api === 'shell.openExternal').map((c) => c.args[0])).toEqual([
      'https://example.com/',
      'https://example.org/docs',
    ]);
    const subframe = {
      url: 'https://example.com/',
      isMainFrame: false,
      defaultPrevented: false,
      preventDefault: () => (subframe.defaultPrevented = true),
    };
    contents.emit('will-frame-navigate', subframe);
    expect(subframe.defaultPrevented).toBe(true);
    const webview = { defaultPrevented: false, preventDefault: () => (webview.defaultPrevented = true) };
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it("answers only the app window's top-level frame", async () => {
    const { window, call, fromWindow } = await startWithWindow();
    expect(await fromWindow('app.setupStatus')).toMatchObject({
      ok: true,
      value: { state: 'needs-setup', keychainAvailable: true },
    });

    const subframe = { url: 'app://hearth/index.html', parent: window.webContents.mainFrame };
    expect(
      await call(
        { sender: window.webContents, senderFrame: subframe } as never,
        'app.setupStatus' as never,
        {} as never,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://hearth/index.html';
    expect(
      await call(
        { sender: stranger, senderFrame: stranger.mainFrame } as never,
        'app.setupStatus' as never,
        {} as never,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    window.webContents.mainFrame.url = 'https://example.com/';
    expect(await fromWindow('app.setupStatus')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    window.webContents.mainFrame.url = 'app://hearth/index.html';
    expect(
      await call({ sender: window.webContents, senderFrame: null } as never, 'app.setupStatus' as never, {} as never),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await fromWindow(42 as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('sets up, forwards calls and change events to the window, and closes the core on quit', async () => {
    const { window, fromWindow } = await startWithWindow();
    expect(await fromWindow('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE })).toEqual({
      ok: true,
      value: { state: 'ready' },
    });
    const settings = (await fromWindow('settings.get')) as { ok: true; value: { version: number } };
    expect(
      await fromWindow('settings.update', { version: settings.value.version, patch: { firmName: 'Acme' } }),
    ).toMatchObject({ ok: true });
    expect(window.webContents.sent).toEqual([
      { channel: 'hearth:event', payload: expect.objectContaining({ type: 'change', procedure: 'settings.update' }) },
    ]);
    expect(existsSync(join(temp, 'data', 'hearth.lock'))).toBe(true);

    window.emit('close');
    electron.app.quit();
    await until(() => !existsSync(join(temp, 'data', 'hearth.lock')), 'the core to close');
    expect(electron.app.quitCalls).toBe(2); // once asked, once again after the core closed
    const state = JSON.parse(
      readFileSync(join(temp, 'appData', 'Hearth Desktop', 'window-state.json'), 'utf8'),
    ) as unknown;
    expect(state).toEqual({ bounds: { x: 10, y: 20, width: 1280, height: 800 }, maximized: false });
  });

  it('shows a due task reminder as a desktop notification that brings the window forward', async () => {
    const { window, fromWindow } = await startWithWindow();
    await fromWindow('app.setup', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await fromWindow('tasks.create', { title: 'Call the bank back', remindAt: Date.now() - 1000 });
    await until(() => electron.notifications.some((n) => n.shown), 'the reminder notification');

    const [notification] = electron.notifications;
    expect(notification!.options).toMatchObject({ title: 'Reminder', body: 'Call the bank back' });
    // The window gets the same reminder, for its in-app notice.
    expect(window.webContents.sent).toContainEqual({
      channel: 'hearth:event',
      payload: expect.objectContaining({
        type: 'reminder',
        task: expect.objectContaining({ title: 'Call the bank back' }),
      }),
    });
    notification!.emit('click');
    expect(electron.calls.some((c) => c.api === 'window.focus')).toBe(true);
    expect(electron.notifications).toHaveLength(1);
  });

  it('names the holder of a locked data folder, retries on request, and quits when asked', async () => {
    const dataDir = join(temp, 'data');
    const holder = await folderHeldByAnotherProgram(dataDir);

    // "Try Again" while it is still held, then "Quit".
    await startMain([0, 1]);
    await until(() => electron.calls.filter((c) => c.api === 'dialog.showMessageBox').length === 2, 'two dialogs');
    await until(() => electron.app.quitCalls > 0, 'quit');
    const dialog = electron.calls.find((c) => c.api === 'dialog.showMessageBox')!.args[0] as {
      detail: string;
      buttons: string[];
    };
    expect(dialog.detail).toContain(`in use by hearth serve (process ${process.pid}`);
    expect(dialog.detail).toContain(dataDir);
    expect(dialog.buttons).toEqual(['Try Again', 'Quit']);
    expect(electron.windows).toHaveLength(0);
    await holder.close();
  });

  it('opens the window once the other program has let go of the folder', async () => {
    const dataDir = join(temp, 'data');
    const holder = await folderHeldByAnotherProgram(dataDir);

    electron = createFakeElectron({ appData: join(temp, 'appData') });
    electron.module.dialog.showMessageBox = async (options: unknown) => {
      electron.calls.push({ api: 'dialog.showMessageBox', args: [options] });
      await holder.close();
      return { response: 0 };
    };
    vi.doMock('electron', () => electron.module);
    await import('../../electron/main.js');
    electron.ready();
    await until(() => electron.windows.length === 1, 'the window');
    const window = electron.windows[0]!;
    const call = electron.ipcHandlers.get('hearth:call')!;
    expect(
      await call(
        { sender: window.webContents, senderFrame: window.webContents.mainFrame } as never,
        'app.setupStatus' as never,
        {} as never,
      ),
    ).toMatchObject({
      ok: true,
      value: { state: 'ready' },
    });
  });
});
