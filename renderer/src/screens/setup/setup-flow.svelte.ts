// The desktop app's way in: first run (choose how the key is protected), unlock, or straight to the app.
import { api, toApiError, type ApiError, type DesktopSetupApi } from '../../lib/api';

export type SetupStatus = DesktopSetupApi['app.setupStatus']['output'];

export type SetupStage =
  | { kind: 'checking' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'needs-setup'; status: SetupStatus }
  | { kind: 'locked'; status: SetupStatus }
  /** The key is set up and the core is open: let the user name the workspace before the app. */
  | { kind: 'name-workspace' }
  | { kind: 'ready' };

export class SetupFlow {
  stage = $state<SetupStage>({ kind: 'checking' });

  async check(): Promise<void> {
    this.stage = { kind: 'checking' };
    try {
      const status = await api.desktop('app.setupStatus', {});
      this.stage =
        status.state === 'ready'
          ? { kind: 'ready' }
          : status.state === 'locked'
            ? { kind: 'locked', status }
            : { kind: 'needs-setup', status };
    } catch (error) {
      this.stage = { kind: 'failed', error: toApiError(error) };
    }
  }

  /** Creates the encrypted workspace; throws ApiError for the screen to show. */
  async setup(keySource: 'keychain' | 'passphrase', passphrase?: string): Promise<void> {
    await api.desktop('app.setup', keySource === 'passphrase' ? { keySource, passphrase } : { keySource });
    this.stage = { kind: 'name-workspace' };
  }

  /** Opens a passphrase-protected workspace; throws ApiError (WRONG_KEY for a wrong passphrase). */
  async unlock(passphrase: string): Promise<void> {
    await api.desktop('app.unlock', { passphrase });
    this.stage = { kind: 'ready' };
  }

  finish(): void {
    this.stage = { kind: 'ready' };
  }
}
