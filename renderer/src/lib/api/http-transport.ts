// In a browser: `POST /api/rpc/<procedure>` for calls and a WebSocket on `/api/events` for changes.
import type { ApiErrorBody, CallResult, HearthEvent } from './contract';
import type { EventSink, Transport } from './transport';

const UNREACHABLE: ApiErrorBody = {
  code: 'UNAVAILABLE',
  message: 'Hearth is not answering. Check that `hearth serve` is still running, then try again.',
};

export class HttpTransport implements Transport {
  readonly kind = 'http';

  async call(procedure: string, input: unknown): Promise<CallResult> {
    let response: Response;
    try {
      response = await fetch(`/api/rpc/${encodeURIComponent(procedure)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      return { ok: false, error: UNREACHABLE };
    }
    const body = await readJson(response);
    if (response.ok) return { ok: true, value: body };
    return { ok: false, error: errorBodyFrom(body, response.status) };
  }

  listen(sink: EventSink): () => void {
    return new ReconnectingSocket(sink).stop;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorBodyFrom(body: unknown, status: number): ApiErrorBody {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
      return error as ApiErrorBody;
    }
  }
  // A proxy or an older server may answer without our envelope; keep the status meaningful.
  if (status === 401) return { code: 'UNAUTHENTICATED', message: 'Sign in first.' };
  if (status >= 500) return UNREACHABLE;
  return { code: 'INTERNAL', message: `Unexpected answer from Hearth (HTTP ${status}).` };
}

/** A WebSocket that comes back after a drop, with exponential backoff and jitter so many tabs don't stampede. */
class ReconnectingSocket {
  readonly #sink: EventSink;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #everOpened = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(sink: EventSink) {
    this.#sink = sink;
    sink.state('connecting');
    this.#open();
    window.addEventListener('online', this.#retryNow);
  }

  stop = (): void => {
    this.#stopped = true;
    window.removeEventListener('online', this.#retryNow);
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
    this.#sink.state('stopped');
  };

  #retryNow = (): void => {
    if (this.#stopped || this.#socket) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#open();
  };

  #open(): void {
    this.#timer = null;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/events`);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      // Anything committed while no socket was open was never pushed to us.
      const mayHaveMissed = this.#everOpened || this.#attempt > 0;
      this.#everOpened = true;
      this.#attempt = 0;
      this.#sink.state('live');
      if (mayHaveMissed) this.#sink.resync();
    });
    socket.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return;
      let event: HearthEvent;
      try {
        event = JSON.parse(message.data) as HearthEvent;
      } catch {
        return;
      }
      if (event && (event.type === 'change' || event.type === 'reminder')) this.#sink.event(event);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#stopped) return;
      this.#sink.state(this.#everOpened ? 'reconnecting' : 'connecting');
      const delay = Math.min(15_000, 500 * 2 ** this.#attempt) * (0.75 + Math.random() * 0.5);
      this.#attempt += 1;
      this.#timer = setTimeout(() => this.#open(), delay);
    });
  }
}
