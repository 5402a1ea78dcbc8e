// The Electron main process: app:// protocol, one hardened window, and the core behind a single IPC handler.
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HearthError } from '../src/api/errors.js';
import type { LockHolder } from '../src/datafolder/lock.js';
import { defaultDataDir } from '../src/datafolder/paths.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.js';
import { createDesktopCore, type DesktopCore } from './desktop-core.js';
import { hardenApp, hardenSession } from './harden.js';
import { broadcastEvent, registerCallHandler } from './ipc.js';
import { buildAppMenu } from './menu.js';
import { notifyReminder } from './reminders.js';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './window-state.js';

const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const DEV_ICON = fileURLToPath(new URL('../../resources/icon.png', import.meta.url));
const LOCK_PURPOSE = 'the Hearth desktop app';

// Chromium's profile (caches, local storage) must not land in the data folder, which on Windows and
// macOS would otherwise be the same "Hearth" folder under the OS's application data.
app.setPath('userData', process.env.HEARTH_USER_DATA_DIR ?? join(app.getPath('appData'), 'Hearth Desktop'));
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
hardenApp();

const appContents = new Set<WebContents>();
let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile);
  const window = new BrowserWindow({
    ...restoreBounds(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Hearth',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1c1917' : '#fafaf9',
    ...(process.platform === 'linux' && existsSync(DEV_ICON) ? { icon: DEV_ICON } : {}),
    webPreferences: {
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  const contents = window.webContents;
  appContents.add(contents);
  // Maximizing shows the window on some platforms, so wait until there is something to show.
  window.once('ready-to-show', () => {
    if (saved?.maximized) window.maximize();
    window.show();
  });
  window.on('close', () =>
    saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }),
  );
  window.on('closed', () => {
    appContents.delete(contents);
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function describeHolder(error: HearthError): string {
  const holder = (error.details as { holder?: LockHolder } | undefined)?.holder;
  if (!holder) return error.message;
  const since = new Date(holder.startedAt).toLocaleString();
  return (
    `It is in use by ${holder.purpose} (process ${holder.pid} on ${holder.host}, since ${since}).\n\n` +
    'Only one program can have the data folder open at a time. Close that program (for example, stop ' +
    '`hearth serve`), then try again.'
  );
}

/** Opens the data folder if it needs no passphrase. False when the user chose to quit instead. */
async function startCore(core: DesktopCore, dataDir: string): Promise<boolean> {
  for (;;) {
    try {
      await core.start();
      return true;
    } catch (error) {
      if (error instanceof HearthError && error.code === 'LOCKED') {
        const { response } = await dialog.showMessageBox({
          type: 'warning',
          title: 'Hearth',
          message: 'Hearth’s data folder is in use by another program',
          detail: `${describeHolder(error)}\n\nData folder: ${dataDir}`,
          buttons: ['Try Again', 'Quit'],
          defaultId: 0,
          cancelId: 1,
          noLink: true,
        });
        if (response === 0) continue;
        return false;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof HearthError)) console.error('hearth: could not open the data folder', error);
      await dialog.showMessageBox({
        type: 'error',
        title: 'Hearth',
        message: 'Hearth could not open its data folder',
        detail: `${message}\n\nData folder: ${dataDir}`,
        buttons: ['Quit'],
        noLink: true,
      });
      return false;
    }
  }
}

async function main(): Promise<void> {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  await app.whenReady();
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));

  const dataDir = defaultDataDir();
  Menu.setApplicationMenu(buildAppMenu({ dataDir }));
  const core = createDesktopCore({
    dataDir,
    safeStorage,
    purpose: LOCK_PURPOSE,
    onEvent: (event) => {
      broadcastEvent(appContents, event);
      if (event.type === 'reminder') {
        notifyReminder(event, () => {
          if (!mainWindow) return;
          if (mainWindow.isMinimized()) mainWindow.restore();
          mainWindow.focus();
        });
      }
    },
    onInternalError: (procedure, error) => console.error(`hearth: ${procedure} failed`, error),
  });
  registerCallHandler(core, appContents);

  // Quitting waits for the core to close, so the database and its lock are released cleanly.
  let coreClosed = false;
  app.on('will-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    core
      .close()
      .catch((error: unknown) => console.error('hearth: closing the data folder failed', error))
      .finally(() => {
        coreClosed = true;
        app.quit();
      });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  if (!(await startCore(core, dataDir))) {
    app.quit();
    return;
  }
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

// A second copy would fight the first over the data folder's lock; hand over to the first instead.
if (app.requestSingleInstanceLock()) {
  main().catch((error: unknown) => {
    console.error('hearth: start-up failed', error);
    dialog.showErrorBox('Hearth could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
} else {
  app.quit();
}
