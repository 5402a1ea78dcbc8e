// How calls and change events travel: one interface, one implementation per platform.
import type { CallResult, HearthEvent } from './contract';

/** `live`: events arrive; `connecting`: first attempt; `reconnecting`: lost and retrying. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface EventSink {
  event(event: HearthEvent): void;
  /** Events may have been missed (the connection dropped and came back): refetch everything shown. */
  resync(): void;
  state(state: ConnectionState): void;
}

export interface Transport {
  readonly kind: 'desktop' | 'http';
  call(procedure: string, input: unknown): Promise<CallResult>;
  /** Starts delivering events to `sink` until the returned function is called. */
  listen(sink: EventSink): () => void;
}
