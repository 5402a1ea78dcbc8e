// Just enough of Electron's main-process API to run electron/main.ts under Node and watch what it does.
import { EventEmitter } from 'node:events';
import { fakeSafeStorage } from '../../electron/keys/safe-storage.fake.js';

type Handler = (...args: never[]) => unknown;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type BeforeRequestListener = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

interface FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null;
  permissionCheckHandler: (() => boolean) | null;
  devicePermissionHandler: (() => boolean) | null;
  beforeRequest: { filter: unknown; listener: BeforeRequestListener } | null;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: { onBeforeRequest(filter: unknown, listener: BeforeRequestListener): void };
}

export function createFakeElectron(options: { appData: string; dialogResponses?: number[] }) {
  const calls: Array<{ api: string; args: unknown[] }> = [];
  const record =
    (api: string) =>
    (...args: unknown[]) => {
      calls.push({ api, args });
    };
  const windows: FakeBrowserWindow[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const dialogResponses = [...(options.dialogResponses ?? [])];
  const session: FakeSession = {
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    devicePermissionHandler: null,
    beforeRequest: null,
    setPermissionRequestHandler(handler) {
      session.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      session.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler) {
      session.devicePermissionHandler = handler;
    },
    webRequest: {
      onBeforeRequest(filter, listener) {
        session.beforeRequest = { filter, listener };
      },
    },
  };

  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const paths: Record<string, string> = { appData: options.appData };

  class FakeApp extends EventEmitter {
    isPackaged = false;
    quitCalls = 0;
    setPath(name: string, value: string) {
      paths[name] = value;
    }
    getPath(name: string) {
      const path = paths[name];
      if (!path) throw new Error(`no fake path for ${name}`);
      return path;
    }
    enableSandbox = record('app.enableSandbox');
    requestSingleInstanceLock() {
      return true;
    }
    whenReady() {
      return ready;
    }
    quit() {
      this.quitCalls++;
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      this.emit('will-quit', event);
    }
    exit = record('app.exit');
  }
  const app = new FakeApp();

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    maximized = false;
    constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    isMinimized() {
      return false;
    }
    getNormalBounds() {
      return {
        x: 10,
        y: 20,
        width: (this.options.width as number) ?? 1280,
        height: (this.options.height as number) ?? 800,
      };
    }
    show = record('window.show');
    focus = record('window.focus');
    restore = record('window.restore');
    static getAllWindows() {
      return windows;
    }
  }

  const notifications: FakeNotification[] = [];

  class FakeNotification extends EventEmitter {
    static isSupported() {
      return true;
    }
    shown = false;
    constructor(readonly options: { title: string; body?: string }) {
      super();
      notifications.push(this);
    }
    show() {
      this.shown = true;
    }
  }

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    ipcMain: {
      handle(channel: string, handler: Handler) {
        ipcHandlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: record('protocol.registerSchemesAsPrivileged'),
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        protocolHandlers.set(scheme, handler);
      },
    },
    session: { defaultSession: session },
    safeStorage: fakeSafeStorage(),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    nativeTheme: { shouldUseDarkColors: false },
    shell: { openExternal: async (url: string) => record('shell.openExternal')(url), openPath: async () => '' },
    dialog: {
      async showMessageBox(options: unknown) {
        calls.push({ api: 'dialog.showMessageBox', args: [options] });
        return { response: dialogResponses.shift() ?? 1 };
      },
      showErrorBox: record('dialog.showErrorBox'),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: record('Menu.setApplicationMenu'),
    },
  };

  return { module, app, windows, notifications, ipcHandlers, protocolHandlers, session, calls, ready: readyResolve };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
