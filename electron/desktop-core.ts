// The core as the desktop app holds it: first-run setup, unlocking a passphrase folder, then every call forwarded.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { CallResult, DesktopSetupApi } from '../src/api/contract.js';
import { validateInput } from '../src/api/dispatcher.js';
import { HearthError } from '../src/api/errors.js';
import type { HearthEvent } from '../src/api/events.js';
import { initDataFolder, openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { acquireLock } from '../src/datafolder/lock.js';
import { dataPaths } from '../src/datafolder/paths.js';
import { keychainProvider } from '../src/keys/keychain.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { readKeyMeta, type KeyMeta } from '../src/keys/meta.js';
import { passphraseProvider } from '../src/keys/passphrase.js';
import type { KeyProvider } from '../src/keys/provider.js';
import { safeStorageProvider, safeStorageStatus, type SafeStorageLike } from './keys/safe-storage.js';

export type DesktopState = DesktopSetupApi['app.setupStatus']['output']['state'];
type SetupStatus = DesktopSetupApi['app.setupStatus']['output'];

export interface DesktopCoreOptions {
  dataDir: string;
  safeStorage: SafeStorageLike;
  /** Written into the data folder's lock, so `hearth` on the command line can say who holds it. */
  purpose: string;
  onEvent: (event: HearthEvent) => void;
  /** Failures that are not HearthErrors, for the app's log; their messages never reach the renderer. */
  onInternalError?: (procedure: string, error: unknown) => void;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export interface DesktopCore {
  /**
   * Opens the data folder when nobody has to type anything (key in the OS keychain) and says what the
   * window should show. Throws the HearthError that stops it: LOCKED when another process holds the
   * folder, KEY_UNAVAILABLE, WRONG_KEY, SCHEMA_TOO_NEW and so on.
   */
  start(): Promise<DesktopState>;
  /** The bridge's `call`: desktop procedures answered here, everything else by the core's dispatcher. */
  call(procedure: string, input: unknown): Promise<CallResult>;
  close(): Promise<void>;
}

export const MAX_PASSPHRASE_LENGTH = 1024;

const DESKTOP_PROCEDURES: ReadonlySet<string> = new Set<keyof DesktopSetupApi>([
  'app.setupStatus',
  'app.setup',
  'app.unlock',
]);

const setupInput = z
  .object({
    keySource: z.enum(['keychain', 'passphrase']),
    passphrase: z.string().max(MAX_PASSPHRASE_LENGTH).optional(),
  })
  .strict()
  .refine((input) => input.keySource !== 'passphrase' || input.passphrase !== undefined, {
    path: ['passphrase'],
    message: 'a passphrase is needed when the key is protected by a passphrase',
  });
const unlockInput = z.object({ passphrase: z.string().min(1).max(MAX_PASSPHRASE_LENGTH) }).strict();
const statusInput = z.object({}).strict();

export function createDesktopCore(options: DesktopCoreOptions): DesktopCore {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const paths = dataPaths(options.dataDir);
  const safeStorage = safeStorageProvider(options.safeStorage, platform);

  let hearth: Hearth | null = null;
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  // Setup, unlock, start and close run one at a time: a double click must not initialize twice.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step, step);
    queue = next.catch(() => undefined);
    return next;
  };

  /** 'unattended': set up, with a key nobody types, and not open yet. */
  function folderState(): DesktopState | 'unattended' {
    if (hearth) return 'ready';
    if (!existsSync(paths.keyMeta)) return 'needs-setup';
    return readKeyMeta(paths.keyMeta).source === 'passphrase' ? 'locked' : 'unattended';
  }

  function start(): Promise<DesktopState> {
    return serially(async () => {
      const state = folderState();
      if (state === 'locked') {
        // Say now, not after the passphrase is typed, when another program (`hearth serve`) has the folder.
        acquireLock(paths.lock, options.purpose).release();
      }
      if (state !== 'unattended') return state;
      await open(unattendedProvider);
      return 'ready' as const;
    });
  }

  /** The key source for a folder whose key nobody types. */
  function unattendedProvider(meta: KeyMeta): KeyProvider {
    switch (meta.source) {
      case 'safeStorage':
        return safeStorage;
      case 'keychain':
        // Folders made by `hearth init`: the same keychain entry the command line uses.
        return keychainProvider();
      case 'keyfile': {
        const keyFile = env.HEARTH_KEY_FILE;
        if (!keyFile) {
          throw new HearthError(
            'KEY_UNAVAILABLE',
            'This data folder is opened with a key file. Start Hearth with HEARTH_KEY_FILE set to that file.',
          );
        }
        return keyFileProvider(keyFile);
      }
      case 'passphrase':
        throw new HearthError('KEY_UNAVAILABLE', 'This data folder is protected by a passphrase: unlock it first.');
    }
  }

  async function open(provider: (meta: KeyMeta) => KeyProvider): Promise<void> {
    if (closed) throw new HearthError('UNAVAILABLE', 'Hearth is shutting down.');
    const opened = await openHearth({
      dir: paths.dir,
      provider,
      purpose: options.purpose,
      reminders: true,
      optimize: true,
      warmSearch: true,
    });
    hearth = opened;
    unsubscribe = opened.dispatcher.onEvent(options.onEvent);
  }

  /** Opens a keychain folder on the way, so 'ready' always means open and a failure arrives as its error. */
  async function status(): Promise<SetupStatus> {
    return {
      state: await start(),
      dataDir: paths.dir,
      keychainAvailable: safeStorageStatus(options.safeStorage, platform).available,
    };
  }

  async function setup(input: unknown): Promise<{ state: 'ready' }> {
    const { keySource, passphrase } = validateInput(setupInput, input);
    return serially(async () => {
      if (folderState() !== 'needs-setup') {
        throw new HearthError(
          'ALREADY_INITIALIZED',
          `${paths.dir} already holds a Hearth data folder; nothing was changed.`,
        );
      }
      let provider: KeyProvider;
      if (keySource === 'keychain') {
        const keychain = safeStorageStatus(options.safeStorage, platform);
        if (!keychain.available) throw new HearthError('KEY_UNAVAILABLE', keychain.reason);
        provider = safeStorage;
      } else {
        provider = passphraseProvider(passphrase ?? '');
      }
      await initDataFolder({ dir: paths.dir, provider });
      await open(() => provider);
      return { state: 'ready' as const };
    });
  }

  async function unlock(input: unknown): Promise<{ state: 'ready' }> {
    const { passphrase } = validateInput(unlockInput, input);
    return serially(async () => {
      const state = folderState();
      if (state === 'ready') return { state: 'ready' as const };
      if (state === 'needs-setup') throw new HearthError('NOT_INITIALIZED', 'There is no data folder to unlock yet.');
      if (state === 'unattended')
        throw new HearthError('VALIDATION', 'This data folder is not protected by a passphrase.');
      await open(() => passphraseProvider(passphrase));
      return { state: 'ready' as const };
    });
  }

  async function desktopCall(procedure: string, input: unknown): Promise<unknown> {
    switch (procedure) {
      case 'app.setupStatus':
        validateInput(statusInput, input);
        return await status();
      case 'app.setup':
        return setup(input);
      case 'app.unlock':
        return unlock(input);
      default:
        throw new Error(`${procedure} is not a desktop procedure`);
    }
  }

  return {
    start,

    async call(procedure, input) {
      try {
        if (DESKTOP_PROCEDURES.has(procedure)) return { ok: true, value: await desktopCall(procedure, input) };
        if (!hearth) {
          const state = folderState();
          throw new HearthError(
            'UNAVAILABLE',
            state === 'locked'
              ? 'Unlock Hearth first.'
              : state === 'needs-setup'
                ? 'Set Hearth up first.'
                : 'Hearth is not open.',
          );
        }
        return await hearth.dispatcher.call(procedure, input, hearth.localActor);
      } catch (error) {
        if (error instanceof HearthError) return { ok: false, error: error.toBody() };
        options.onInternalError?.(procedure, error);
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong on our side; the details are in the log.' },
        };
      }
    },

    close() {
      closed = true;
      return serially(async () => {
        unsubscribe?.();
        unsubscribe = null;
        const open = hearth;
        hearth = null;
        await open?.close();
      });
    },
  };
}
