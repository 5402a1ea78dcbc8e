// The one IPC channel into the core, and the one out of it: hearth:call (checked sender) and hearth:event.
import { ipcMain, type WebContents } from 'electron';
import type { CallResult, HearthEvent } from '../src/api/contract.js';
import { isAppUrl } from './app-protocol.js';
import type { DesktopCore } from './desktop-core.js';
import { isTrustedSender } from './security-policy.js';

export const CALL_CHANNEL = 'hearth:call';
export const EVENT_CHANNEL = 'hearth:event';
const MAX_PROCEDURE_NAME = 200;

/** The app windows' WebContents: the only places calls may come from and events may go to. */
export type AppContents = ReadonlySet<WebContents>;

export function registerCallHandler(core: DesktopCore, appContents: AppContents): void {
  ipcMain.handle(CALL_CHANNEL, async (event, procedure: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(event, (sender) => appContents.has(sender as WebContents))) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Only the Hearth window may call Hearth.' } };
    }
    if (typeof procedure !== 'string' || procedure.length === 0 || procedure.length > MAX_PROCEDURE_NAME) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: 'A procedure name is needed.',
          details: { issues: [{ path: 'procedure', message: 'a procedure name' }] },
        },
      };
    }
    return core.call(procedure, input);
  });
}

export function broadcastEvent(appContents: AppContents, event: HearthEvent): void {
  for (const contents of appContents) {
    if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, event);
  }
}
