// HTTP and WebSocket helpers for tests of `hearth serve`: raw requests (any Host header) and event sockets.
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request to 127.0.0.1:port with exactly the given path and headers. Unlike fetch, it can send a
 * foreign Host header (DNS rebinding) and an unnormalized path (`/../x`).
 */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes to 127.0.0.1:port and returns everything the server sends back before closing. */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(received) : reject(error),
    );
    socket.write(bytes);
  });
}

/** Splits a raw HTTP/1.1 answer into its status, headers (lower-case names) and body. */
export function parseRawAnswer(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = (end < 0 ? text : text.slice(0, end)).split('\r\n');
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: end < 0 ? '' : text.slice(end + 4) };
}

/** The headers of a WebSocket handshake, for raw upgrade attempts. */
export function upgradeHeaders(): Record<string, string> {
  return {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  };
}

export type UpgradeOutcome = { opened: WebSocket } | { status: number; body: string };

/** Tries to open a WebSocket; resolves with the socket, or with the refusal's status and body. */
export function connectEvents(url: string, options: { headers?: Record<string, string>; origin?: string } = {}) {
  return new Promise<UpgradeOutcome>((resolve, reject) => {
    const ws = new WebSocket(url, {
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
    });
    ws.on('error', (error) => reject(error));
    ws.once('open', () => resolve({ opened: ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        ws.removeAllListeners('error');
        ws.on('error', () => {});
        ws.terminate();
      });
    });
  });
}

/** The next message on a socket, parsed as JSON; fails after `timeoutMs`. */
export function nextMessage(ws: WebSocket, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error(`no WebSocket message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      clearTimeout(timer);
      resolve(JSON.parse(data.toString()));
    };
    ws.once('message', onMessage);
  });
}

export function closeSocket(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
  });
}
