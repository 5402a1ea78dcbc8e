// The typed API client: `api.call('settings.get', {})` resolves to the procedure's output or throws ApiError.
import { ApiError } from './api-error';
import type {
  ChangeEvent,
  DesktopSetupApi,
  HearthEvent,
  InputOf,
  OutputOf,
  ProcedureName,
  ReminderEvent,
} from './contract';
import type { ConnectionState, Transport } from './transport';

/** A change event, or null when events may have been missed and everything should be refetched. */
export type ChangeListener = (event: ChangeEvent | null) => void;
/** A task's reminder time has come. */
export type ReminderListener = (event: ReminderEvent) => void;

export class ApiClient {
  readonly transport: Transport;
  /** Whether change events are flowing; shown in the status line. */
  connection = $state<ConnectionState>('stopped');
  /** Set once the server answers UNAUTHENTICATED: the session is gone and only signing in again helps. */
  signedOut = $state(false);

  #listeners: ChangeListener[] = [];
  #reminderListeners: ReminderListener[] = [];
  #stopEvents: (() => void) | null = null;

  constructor(transport: Transport) {
    this.transport = transport;
  }

  get isDesktop(): boolean {
    return this.transport.kind === 'desktop';
  }

  async call<N extends ProcedureName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
    const result = await this.transport.call(name, input);
    if (result.ok) return result.value as OutputOf<N>;
    if (result.error.code === 'UNAUTHENTICATED') this.#markSignedOut();
    throw new ApiError(result.error);
  }

  /** Procedures the desktop app's main process answers before the core is open. */
  async desktop<N extends keyof DesktopSetupApi>(
    name: N,
    input: DesktopSetupApi[N]['input'],
  ): Promise<DesktopSetupApi[N]['output']> {
    const result = await this.transport.call(name, input);
    if (result.ok) return result.value as DesktopSetupApi[N]['output'];
    throw new ApiError(result.error);
  }

  /** Subscribes to committed changes; starts the event stream on first use. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    this.startEvents();
    return () => {
      this.#listeners = this.#listeners.filter((existing) => existing !== listener);
    };
  }

  /** Subscribes to task reminders as they come due; starts the event stream on first use. */
  onReminder(listener: ReminderListener): () => void {
    this.#reminderListeners = [...this.#reminderListeners, listener];
    this.startEvents();
    return () => {
      this.#reminderListeners = this.#reminderListeners.filter((existing) => existing !== listener);
    };
  }

  startEvents(): void {
    if (this.#stopEvents || this.signedOut) return;
    this.#stopEvents = this.transport.listen({
      event: (event) => this.#emit(event),
      resync: () => this.#emit(null),
      state: (state) => {
        this.connection = state;
        // A socket that keeps failing may be refused for a lost session (the server restarted); only a call
        // can tell, and a call that answers UNAUTHENTICATED switches the app to the sign-in screen.
        if (state === 'reconnecting') void this.call('system.info', {}).catch(() => undefined);
      },
    });
  }

  stopEvents(): void {
    this.#stopEvents?.();
    this.#stopEvents = null;
  }

  #emit(event: HearthEvent | null): void {
    if (event?.type === 'reminder') {
      for (const listener of this.#reminderListeners) listener(event);
      return;
    }
    for (const listener of this.#listeners) listener(event);
  }

  #markSignedOut(): void {
    this.signedOut = true;
    // The socket would only be refused again and again.
    this.stopEvents();
  }
}

/** True when a change event touches one of `entities` (or when events may have been missed). */
export function touches(event: ChangeEvent | null, ...entities: string[]): boolean {
  return event === null || event.changes.some((change) => entities.includes(change.entity));
}
