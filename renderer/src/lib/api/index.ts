// The app's one API client, on the transport this platform offers.
import { BridgeTransport } from './bridge-transport';
import { ApiClient } from './client.svelte';
import type { HearthBridge } from './contract';
import { HttpTransport } from './http-transport';

declare global {
  interface Window {
    /** Present only inside the Electron app, set by its preload script. */
    hearth?: HearthBridge;
  }
}

export const api = new ApiClient(window.hearth ? new BridgeTransport(window.hearth) : new HttpTransport());

export { ApiClient, touches, type ChangeListener, type ReminderListener } from './client.svelte';
export { ApiError, toApiError, type FieldIssue } from './api-error';
export type { ConnectionState } from './transport';
export type * from './contract';
