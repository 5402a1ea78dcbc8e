// `hearth serve`: the renderer and the API over HTTP + WebSocket, on this machine only (LAN mode comes with accounts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../api/dispatcher.js';
import { HearthError, httpStatusFor, type ApiErrorBody, type ApiErrorCode } from '../api/errors.js';
import { LIMITS } from '../api/limits.js';
import type { Actor } from '../api/procedure.js';
import type { Logger } from '../log/logger.js';
import { RENDERER_MIME_TYPES, RENDERER_SECURITY_HEADERS } from './renderer-policy.js';

export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;
export const SESSION_COOKIE = 'hearth_session';

export interface ServerOptions {
  dispatcher: Dispatcher;
  actor: Actor;
  logger: Logger;
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
}

export interface RunningServer {
  port: number;
  origin: string;
  /** A one-time sign-in link: opening it sets the session cookie. */
  issueLoginUrl(): string;
  /** A bearer token for scripts (`Authorization: Bearer …`). */
  issueApiToken(): string;
  close(): Promise<void>;
}

interface Session {
  actor: Actor;
  createdAt: number;
}

const LOGIN_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const LOGIN_FAILURES_PER_MINUTE = 10;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!(LOOPBACK_HOSTS as readonly string[]).includes(host)) {
    throw new HearthError(
      'FORBIDDEN',
      `Hearth serves only on this machine (127.0.0.1) for now; serving to ${host} needs user accounts, which come with LAN mode.`,
    );
  }
  const { dispatcher, logger } = options;
  const sessions = new Map<string, Session>();
  const loginTokens = new Map<string, number>();
  const loginFailures: number[] = [];
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.log('error', 'http-handler-failed', { error: error instanceof Error ? error.name : 'unknown' });
      if (!res.headersSent) sendError(res, 'INTERNAL', 'Something went wrong on our side.');
      else res.destroy();
    });
  });
  // Even a request Node cannot parse gets a JSON answer, not the bare default.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    endSocketWithError(socket, tooLarge ? 431 : 400, {
      code: 'VALIDATION',
      message: tooLarge ? 'The request headers are too large.' : 'Malformed HTTP request.',
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();
  const unsubscribe = dispatcher.onEvent((event) => {
    const message = JSON.stringify(event);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  });
  const heartbeat = setInterval(() => {
    for (const socket of sockets) socket.ping();
  }, 30_000);
  heartbeat.unref();

  function checkHostAndOrigin(req: IncomingMessage): ApiErrorBody | null {
    if (!req.headers.host || !allowedHosts.has(req.headers.host.toLowerCase())) {
      return { code: 'FORBIDDEN', message: 'This host name is not served here.' };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      return { code: 'FORBIDDEN', message: 'Cross-origin requests are not accepted.' };
    }
    return null;
  }

  function sessionFor(req: IncomingMessage): Session | null {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (bearer) return sessions.get(bearer[1]!) ?? null;
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return cookie ? (sessions.get(cookie) ?? null) : null;
  }

  function newSession(): string {
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, { actor: options.actor, createdAt: Date.now() });
    return id;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res);
    const refused = checkHostAndOrigin(req);
    if (refused) return sendError(res, refused.code, refused.message);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = url.pathname;

    if (path === '/login') {
      if (req.method !== 'GET')
        return sendError(res, 'VALIDATION', 'Use GET for /login.', undefined, 405, { Allow: 'GET' });
      return login(url, res);
    }
    if (path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      if (path.startsWith('/api/rpc/')) {
        if (req.method !== 'POST') {
          return sendError(res, 'VALIDATION', 'Call procedures with POST.', undefined, 405, { Allow: 'POST' });
        }
        let procedure: string;
        try {
          procedure = decodeURIComponent(path.slice('/api/rpc/'.length));
        } catch {
          req.resume();
          return sendError(res, 'VALIDATION', 'Malformed procedure name in the URL.');
        }
        return rpc(req, res, procedure);
      }
      if (path === '/api/events') {
        return sendError(res, 'VALIDATION', 'Connect to /api/events with a WebSocket.', undefined, 426, {
          Upgrade: 'websocket',
        });
      }
      return sendError(res, 'NOT_FOUND', `Nothing is served at ${path.slice(0, 100)}.`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 'VALIDATION', `${req.method ?? 'This method'} is not allowed here.`, undefined, 405, {
        Allow: 'GET, HEAD',
      });
    }
    return serveStatic(path, req, res);
  }

  function login(url: URL, res: ServerResponse): void {
    const now = Date.now();
    while (loginFailures.length > 0 && loginFailures[0]! < now - 60_000) loginFailures.shift();
    if (loginFailures.length >= LOGIN_FAILURES_PER_MINUTE) {
      return sendError(res, 'RATE_LIMITED', 'Too many sign-in attempts; wait a minute.', undefined, undefined, {
        'Retry-After': '60',
      });
    }
    const token = url.searchParams.get('token') ?? '';
    const match = [...loginTokens.keys()].find((t) => safeEqual(t, token));
    const issued = match ? loginTokens.get(match) : undefined;
    if (!match || issued === undefined || issued < now - LOGIN_TOKEN_TTL_MS) {
      loginFailures.push(now);
      return sendError(
        res,
        'UNAUTHENTICATED',
        'This sign-in link is invalid or was already used. Run `hearth serve` again for a new one.',
      );
    }
    loginTokens.delete(match);
    const id = newSession();
    res.statusCode = 303;
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`);
    res.setHeader('Location', '/');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  }

  async function rpc(req: IncomingMessage, res: ServerResponse, procedure: string): Promise<void> {
    const session = sessionFor(req);
    if (!session) {
      req.resume();
      return sendError(res, 'UNAUTHENTICATED', 'Sign in first: open the link printed by `hearth serve`.');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return sendError(res, 'VALIDATION', 'Send the input as application/json.', undefined, 415);
    }
    const body = await readBody(req, LIMITS.bodyBytes);
    if (body === 'too-large') {
      sendError(
        res,
        'VALIDATION',
        `The request body is larger than ${LIMITS.bodyBytes} bytes.`,
        { limit: LIMITS.bodyBytes },
        413,
        { Connection: 'close' },
      );
      return;
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return sendError(res, 'VALIDATION', 'The request body is not valid JSON.', {
          issues: [{ path: '', message: 'invalid JSON' }],
        });
      }
    }
    const result = await dispatcher.call(procedure, input, session.actor);
    if (result.ok) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(result.value ?? null));
    } else {
      sendError(res, result.error.code, result.error.message, result.error.details);
    }
  }

  function serveStatic(path: string, req: IncomingMessage, res: ServerResponse): void {
    const root = resolve(options.staticDir);
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return sendError(res, 'UNAVAILABLE', 'The app is not built yet: run `npm run build`.');
    }
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(path)));
    } catch {
      return sendError(res, 'VALIDATION', 'Malformed path.');
    }
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      return sendError(res, 'NOT_FOUND', 'Not found.');
    }
    let target = file;
    if (!existsSync(target) || !statSync(target).isFile()) {
      // Client-side routes fall back to the app; a missing asset is a real 404.
      if (extname(path) !== '') return sendError(res, 'NOT_FOUND', 'Not found.');
      target = index;
    }
    const type = RENDERER_MIME_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream';
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    // Only Vite's content-hashed assets may be cached for good; everything else is revalidated.
    const hashed = path.startsWith('/assets/');
    res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (req.method === 'HEAD') return void res.end();
    createReadStream(target).pipe(res);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (status: number, error: ApiErrorBody) => endSocketWithError(socket, status, error);
    if (url.pathname !== '/api/events') return refuse(404, { code: 'NOT_FOUND', message: 'No WebSocket here.' });
    const refused = checkHostAndOrigin(req);
    if (refused) return refuse(403, refused);
    if (!sessionFor(req)) return refuse(401, { code: 'UNAUTHENTICATED', message: 'Sign in first.' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // Clients only listen; anything they send is ignored.
      ws.on('message', () => {});
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7420, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  const displayHost = host === '::1' ? '[::1]' : host;
  const origin = `http://${displayHost}:${port}`;

  return {
    port,
    origin,
    issueLoginUrl() {
      const token = randomBytes(24).toString('base64url');
      loginTokens.set(token, Date.now());
      return `${origin}/login?token=${token}`;
    },
    issueApiToken() {
      return newSession();
    },
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Answers on a bare socket, where there is no ServerResponse (an unparsable request, a refused WebSocket
 * upgrade), still as a JSON error body.
 */
function endSocketWithError(socket: Duplex, status: number, error: ApiErrorBody): void {
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function setCommonHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(RENDERER_SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendError(
  res: ServerResponse,
  code: ApiErrorCode,
  message: string,
  details?: unknown,
  status?: number,
  headers: Record<string, string> = {},
): void {
  const error: ApiErrorBody = details === undefined ? { code, message } : { code, message, details };
  const body = JSON.stringify({ error });
  res.statusCode = status ?? httpStatusFor(code);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Reads a body up to `limit` bytes; stops reading (and says so) past it, so a huge upload costs nothing. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
