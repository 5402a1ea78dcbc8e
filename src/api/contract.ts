// The API contract as types, for the renderer and other typed clients. Import with `import type` only.
import type { z } from 'zod';
import type { procedures } from './registry.js';

export type { ApiErrorBody, ApiErrorCode } from './errors.js';
export type { HearthEvent, ChangeEvent, ReminderEvent } from './events.js';
export type { WorkspaceSettings } from '../settings/repository.js';
export type { SystemInfo, ProcedureDescription } from '../system/procedures.js';

type Procedures = typeof procedures;
export type ProcedureName = keyof Procedures & string;
export type InputOf<N extends ProcedureName> = z.input<Procedures[N]['input']>;
export type OutputOf<N extends ProcedureName> = Awaited<ReturnType<Procedures[N]['handler']>>;

/** The whole API: `Api['settings.get']['input']`, `Api['settings.get']['output']`. */
export type Api = { [N in ProcedureName]: { input: InputOf<N>; output: OutputOf<N> } };

import type { ApiErrorBody } from './errors.js';
import type { HearthEvent } from './events.js';

export type CallResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/**
 * What the Electron preload exposes as `window.hearth` (and nothing more). In a browser the renderer
 * uses HTTP (`POST /api/rpc/<procedure>`) and a WebSocket (`/api/events`) instead.
 */
export interface HearthBridge {
  call(procedure: string, input: unknown): Promise<CallResult>;
  onEvent(listener: (event: HearthEvent) => void): () => void;
}

/**
 * Desktop-only procedures answered by the Electron main process before the core is open (first run,
 * unlocking a passphrase-protected folder). They travel over the same bridge `call`.
 */
export interface DesktopSetupApi {
  'app.setupStatus': {
    input: Record<string, never>;
    output: {
      state: 'needs-setup' | 'locked' | 'ready';
      dataDir: string;
      /** Whether the OS keychain (Electron safeStorage with a real backend) can hold the key here. */
      keychainAvailable: boolean;
    };
  };
  'app.setup': {
    input: { keySource: 'keychain' | 'passphrase'; passphrase?: string };
    output: { state: 'ready' };
  };
  'app.unlock': { input: { passphrase: string }; output: { state: 'ready' } };
}
