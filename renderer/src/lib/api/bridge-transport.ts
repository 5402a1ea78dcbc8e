// Inside Electron: calls and events go through the preload's `window.hearth`.
import type { HearthBridge } from './contract';
import type { EventSink, Transport } from './transport';

export class BridgeTransport implements Transport {
  readonly kind = 'desktop';
  readonly #bridge: HearthBridge;

  constructor(bridge: HearthBridge) {
    this.#bridge = bridge;
  }

  call(procedure: string, input: unknown) {
    return this.#bridge.call(procedure, input);
  }

  listen(sink: EventSink): () => void {
    // IPC cannot drop messages while the window lives, so the channel is live from the start.
    sink.state('live');
    const off = this.#bridge.onEvent((event) => sink.event(event));
    return () => {
      off();
      sink.state('stopped');
    };
  }
}
