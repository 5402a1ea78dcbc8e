// `hearth serve`'s HTTP transport: sign-in, the RPC endpoint, its error answers, static files and live events,
// exercised over real sockets against a real encrypted data folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hearth } from '../src/datafolder/hearth.js';
import { LIMITS } from '../src/api/limits.js';
import { silentLogger } from '../src/log/logger.js';
import { startServer, type RunningServer } from '../src/server/http.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';
import {
  closeSocket,
  connectEvents,
  nextMessage,
  parseRawAnswer,
  rawExchange,
  rawRequest,
  upgradeHeaders,
  type RawResponse,
} from './support/http.js';

interface Settings {
  id: string;
  version: number;
  firmName: string;
  baseCurrency: string;
  phoneRegion: string;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const INDEX_HTML = '<!doctype html><html><head><title>Hearth</title></head><body><div id="app"></div></body></html>';
const APP_JS = 'console.log("hearth app");';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-APP-FOLDER';

let folder: TempFolder;
let hearth: Hearth;
let server: RunningServer;
let apiToken: string;
let staticRoot: string;
let staticDir: string;

beforeAll(async () => {
  folder = await makeDataFolder();
  hearth = await openTestHearth(folder);
  staticRoot = mkdtempSync(join(tmpdir(), 'hearth-static-'));
  staticDir = join(staticRoot, 'app');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'assets', 'app.js'), APP_JS);
  // Files a path traversal would reach: next to the app folder, and in a sibling whose name extends it.
  writeFileSync(join(staticRoot, 'secret.txt'), SECRET);
  mkdirSync(join(staticRoot, 'app-private'));
  writeFileSync(join(staticRoot, 'app-private', 'secret.txt'), SECRET);
  server = await start();
  apiToken = server.issueApiToken();
});

afterAll(async () => {
  await server?.close();
  await hearth?.close();
  folder?.cleanup();
  if (staticRoot) rmSync(staticRoot, { recursive: true, force: true });
});

function start(options: { staticDir?: string } = {}): Promise<RunningServer> {
  return startServer({
    dispatcher: hearth.dispatcher,
    actor: hearth.localActor,
    logger: silentLogger,
    staticDir: options.staticDir ?? staticDir,
    port: 0,
  });
}

type Auth = { token: string } | { cookie: string } | null;

function authHeaders(auth: Auth): Record<string, string> {
  if (auth === null) return {};
  return 'token' in auth ? { Authorization: `Bearer ${auth.token}` } : { Cookie: auth.cookie };
}

function rpc(
  procedure: string,
  input: unknown,
  auth: Auth = { token: apiToken },
  headers: Record<string, string> = {},
) {
  return fetch(`${server.origin}/api/rpc/${procedure}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authHeaders(auth), ...headers },
    body: JSON.stringify(input),
  });
}

/** Reads an error answer, checking that it is the JSON error shape (never HTML, never empty). */
async function errorOf(res: Response | RawResponse) {
  const type = res instanceof Response ? res.headers.get('content-type') : res.headers['content-type'];
  expect(type).toMatch(/^application\/json/);
  const text = res instanceof Response ? await res.text() : res.body;
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/** Opens a one-time sign-in link and returns the session cookie it set ("hearth_session=…"). */
async function signIn(on: RunningServer = server): Promise<string> {
  const res = await fetch(on.issueLoginUrl(), { redirect: 'manual' });
  expect(res.status).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
  expect(cookie).toBeDefined();
  return cookie!.split(';')[0]!;
}

async function currentSettings(): Promise<Settings> {
  const result = await hearth.dispatcher.call('settings.get', {}, hearth.localActor);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Settings;
}

describe('binding', () => {
  test.each(['0.0.0.0', '192.168.1.20', 'example.com'])(
    'refuses to listen on %s, which would expose the data beyond this machine',
    async (host) => {
      await expect(
        startServer({
          dispatcher: hearth.dispatcher,
          actor: hearth.localActor,
          logger: silentLogger,
          staticDir,
          host,
          port: 0,
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    },
  );
});

describe('signing in', () => {
  test('the one-time link sets an HttpOnly, SameSite=Strict session cookie and redirects to the app', async () => {
    const res = await fetch(server.issueLoginUrl(), { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const attributes = cookies[0]!.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^hearth_session=[A-Za-z0-9_-]{40,}$/);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
  });

  test('the session cookie lets the browser call procedures', async () => {
    const cookie = await signIn();
    const res = await rpc('settings.get', {}, { cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Settings).id).toBe('workspace');
  });

  test('a sign-in link works only once', async () => {
    const url = server.issueLoginUrl();
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(303);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect((await errorOf(again)).code).toBe('UNAUTHENTICATED');
  });

  test('an invented or missing sign-in token is refused', async () => {
    for (const path of ['/login?token=not-a-real-token', '/login']) {
      const res = await fetch(`${server.origin}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect((await errorOf(res)).code).toBe('UNAUTHENTICATED');
    }
  });

  test('/login only answers GET', async () => {
    const res = await fetch(server.issueLoginUrl(), { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });

  test('more than ten failed sign-ins in a minute are rate limited, even with a valid link', async () => {
    const own = await start(); // its own server: the limit is per server
    try {
      for (let attempt = 1; attempt <= 10; attempt++) {
        const res = await fetch(`${own.origin}/login?token=guess-${attempt}`, { redirect: 'manual' });
        expect(res.status).toBe(401);
        await res.body?.cancel();
      }
      const limited = await fetch(`${own.origin}/login?token=guess-11`, { redirect: 'manual' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect((await errorOf(limited)).code).toBe('RATE_LIMITED');

      const valid = await fetch(own.issueLoginUrl(), { redirect: 'manual' });
      expect(valid.status).toBe(429);
      expect(valid.headers.getSetCookie()).toEqual([]);
      expect((await errorOf(valid)).code).toBe('RATE_LIMITED');
    } finally {
      await own.close();
    }
  });
});

describe('calling procedures', () => {
  test('a call without a session or token is refused with 401 UNAUTHENTICATED', async () => {
    const res = await rpc('settings.get', {}, null);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('UNAUTHENTICATED');
  });

  test('an unknown bearer token or session cookie is refused', async () => {
    for (const auth of [{ token: 'made-up-token' }, { cookie: 'hearth_session=made-up' }]) {
      const res = await rpc('settings.get', {}, auth);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('UNAUTHENTICATED');
    }
  });

  test('a script with the API bearer token gets the result as plain JSON', async () => {
    const res = await rpc('settings.get', {}, { token: apiToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Settings;
    expect(body).toEqual(await currentSettings()); // no envelope around the result
  });

  test('a settings change made over HTTP is what settings.get returns afterwards', async () => {
    const before = await currentSettings();
    const res = await rpc('settings.update', {
      version: before.version,
      patch: { firmName: 'Harbour & Co', baseCurrency: 'USD' },
    });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Settings;
    expect(updated).toMatchObject({ firmName: 'Harbour & Co', baseCurrency: 'USD', version: before.version + 1 });

    const read = await rpc('settings.get', {}, { cookie: await signIn() });
    expect(((await read.json()) as Settings).firmName).toBe('Harbour & Co');
    expect(await currentSettings()).toMatchObject({ firmName: 'Harbour & Co', version: before.version + 1 });
  });

  test('a change based on a stale version gets 409 CONFLICT with the current record, and changes nothing', async () => {
    const read = await currentSettings();
    // Someone else saves in between.
    const other = await hearth.dispatcher.call(
      'settings.update',
      { version: read.version, patch: { firmName: 'Saved By Someone Else' } },
      hearth.localActor,
    );
    expect(other.ok).toBe(true);
    const current = await currentSettings();

    const res = await rpc('settings.update', { version: read.version, patch: { firmName: 'Stale' } });
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ current: { version: current.version, firmName: 'Saved By Someone Else' } });
    expect(await currentSettings()).toEqual(current);
  });

  test('invalid input gets 400 VALIDATION naming the field', async () => {
    const before = await currentSettings();
    const res = await rpc('settings.update', { version: before.version, patch: { baseCurrency: 'XYZ' } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toMatchObject({ issues: [expect.objectContaining({ path: 'patch.baseCurrency' })] });
  });

  test('an unknown procedure gets 404 NOT_FOUND', async () => {
    const res = await rpc('people.teleport', {});
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  test('a body that is not application/json gets 415', async () => {
    const variants: Array<Record<string, string>> = [{ 'Content-Type': 'text/plain' }, {}];
    for (const headers of variants) {
      const res = await fetch(`${server.origin}/api/rpc/settings.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiToken}`, ...headers },
        body: new Blob(['{}']), // a Blob with no type: fetch adds no Content-Type of its own
      });
      expect(res.status).toBe(415);
      expect((await errorOf(res)).code).toBe('VALIDATION');
    }
  });

  test('a body that is not valid JSON gets 400 VALIDATION', async () => {
    const res = await fetch(`${server.origin}/api/rpc/settings.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
      body: '{"version": 1,',
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });

  test('a body of exactly 1 MiB is accepted and one byte more gets 413', async () => {
    const padded = (size: number) => '{}' + ' '.repeat(size - 2);
    const send = (body: string) =>
      fetch(`${server.origin}/api/rpc/settings.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
        body,
      });
    const atLimit = await send(padded(LIMITS.bodyBytes));
    expect(atLimit.status).toBe(200);
    await atLimit.body?.cancel();

    const over = await send(padded(LIMITS.bodyBytes + 1));
    expect(over.status).toBe(413);
    const error = await errorOf(over);
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toEqual({ limit: LIMITS.bodyBytes });
  });

  test('an oversized body sent without a Content-Length (chunked) also gets 413', async () => {
    const res = await new Promise<{ status: number; body: string; type: string | undefined }>((resolve, reject) => {
      const req = request(
        `${server.origin}/api/rpc/settings.get`,
        { method: 'POST', headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }),
          );
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 12; i++) req.write(Buffer.alloc(100_000, 0x20));
      req.end();
    });
    expect(res.status).toBe(413);
    expect(res.type).toMatch(/^application\/json/);
    expect((JSON.parse(res.body) as ErrorBody).error.code).toBe('VALIDATION');
  });

  test('procedures are called with POST only: other methods get 405 with an Allow header', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${server.origin}/api/rpc/settings.get`, {
        method,
        headers: { Authorization: `Bearer ${apiToken}` },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await errorOf(res)).code).toBe('VALIDATION');
    }
  });

  test('an unknown /api path gets 404 NOT_FOUND in JSON', async () => {
    for (const path of ['/api/nothing-here', '/api/v2/rpc/settings.get']) {
      const res = await fetch(`${server.origin}${path}`, { headers: { Authorization: `Bearer ${apiToken}` } });
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    }
  });

  test('a malformed procedure name in the URL gets 400 VALIDATION, not a server error', async () => {
    const res = await fetch(`${server.origin}/api/rpc/settings.%E0%A4%A`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const error = await errorOf(res);
    expect({ status: res.status, code: error.code }).toEqual({ status: 400, code: 'VALIDATION' });
  });

  test('a request that is not valid HTTP still gets a JSON 400 answer', async () => {
    const answer = parseRawAnswer(await rawExchange(server.port, 'THIS IS NOT HTTP\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect((await errorOf(answer)).code).toBe('VALIDATION');
  });

  test('oversized request headers get a JSON 431 answer', async () => {
    const request = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    const answer = parseRawAnswer(await rawExchange(server.port, request));
    expect(answer.status).toBe(431);
    expect((await errorOf(answer)).code).toBe('VALIDATION');
  });

  test('a plain GET of the event stream is told to upgrade to a WebSocket, in JSON', async () => {
    const res = await fetch(`${server.origin}/api/events`, { headers: { Cookie: await signIn() } });
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });
});

describe('other sites and host names', () => {
  test('a request under a foreign Host name (DNS rebinding) is refused and changes nothing', async () => {
    const before = await currentSettings();
    const res = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/rpc/settings.update',
      headers: {
        Host: `evil.example:${server.port}`,
        Authorization: `Bearer ${apiToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ version: before.version, patch: { firmName: 'Rebound' } }),
    });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('FORBIDDEN');
    expect(await currentSettings()).toEqual(before);
  });

  test('a rebinding page cannot even load the app or sign in', async () => {
    for (const path of ['/', '/login?token=anything', '/assets/app.js']) {
      const res = await rawRequest(server.port, { path, headers: { Host: `evil.example:${server.port}` } });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('<html');
      expect((await errorOf(res)).code).toBe('FORBIDDEN');
    }
  });

  test('the loopback names 127.0.0.1 and localhost are both accepted as Host', async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `LOCALHOST:${server.port}`,
      `[::1]:${server.port}`,
    ]) {
      const res = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/rpc/settings.get',
        headers: { Host: host, Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
    }
  });

  test('a call from another origin is refused with 403 even with a valid session, and changes nothing', async () => {
    const cookie = await signIn();
    const before = await currentSettings();
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      const res = await rpc(
        'settings.update',
        { version: before.version, patch: { firmName: 'Cross-site' } },
        { cookie },
        { Origin: origin },
      );
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('FORBIDDEN');
    }
    expect(await currentSettings()).toEqual(before);
  });

  test("the app's own origin may call", async () => {
    const res = await rpc('settings.get', {}, { cookie: await signIn() }, { Origin: server.origin });
    expect(res.status).toBe(200);
  });
});

describe('the app files', () => {
  test('the app is served with a Content-Security-Policy', async () => {
    const res = await fetch(`${server.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(INDEX_HTML);
  });

  test('assets are served with their type', async () => {
    const res = await fetch(`${server.origin}/assets/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toBe(APP_JS);
  });

  test("the app's own routes (deep links) fall back to index.html", async () => {
    for (const path of ['/people/01924c1e-0000-7000-8000-000000000000', '/settings']) {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toBe(INDEX_HTML);
    }
  });

  test('a missing asset is a 404 in JSON, not the app', async () => {
    const res = await fetch(`${server.origin}/assets/missing.js`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  test.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2fapp-private%2fsecret.txt',
    '/%2e%2e%2fapp-private/secret.txt',
  ])('path traversal %s cannot read files outside the app folder', async (path) => {
    const res = await rawRequest(server.port, { path });
    expect(res.body).not.toContain(SECRET);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  test('a malformed path gets 400 in JSON', async () => {
    const res = await rawRequest(server.port, { path: '/%E0%A4%A' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });

  test('files are read-only: other methods get 405 with an Allow header', async () => {
    const res = await fetch(`${server.origin}/index.html`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });

  test('without a built app the server answers 503 UNAVAILABLE in JSON, and the API still works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hearth-nostatic-'));
    const own = await start({ staticDir: empty });
    try {
      const res = await fetch(`${own.origin}/`);
      expect(res.status).toBe(503);
      expect((await errorOf(res)).code).toBe('UNAVAILABLE');
      const api = await fetch(`${own.origin}/api/rpc/settings.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${own.issueApiToken()}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(api.status).toBe(200);
    } finally {
      await own.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('live change events', () => {
  const eventsUrl = () => `ws://127.0.0.1:${server.port}/api/events`;

  test('a signed-in browser receives the change another session made, without record contents', async () => {
    const outcome = await connectEvents(eventsUrl(), { headers: { Cookie: await signIn() } });
    if (!('opened' in outcome)) throw new Error(`upgrade refused: ${outcome.status} ${outcome.body}`);
    const ws = outcome.opened;
    try {
      const before = await currentSettings();
      const received = nextMessage(ws);
      // A read and a refused change announce nothing; the first message is the committed change.
      expect((await rpc('settings.get', {})).status).toBe(200);
      expect((await rpc('settings.update', { version: before.version + 5, patch: { firmName: 'Nope' } })).status).toBe(
        409,
      );
      const res = await rpc('settings.update', { version: before.version, patch: { firmName: 'Seen Live Ltd' } });
      expect(res.status).toBe(200);

      const event = await received;
      expect(event).toMatchObject({
        type: 'change',
        procedure: 'settings.update',
        changes: [{ entity: 'settings', id: before.id, action: 'update', version: before.version + 1 }],
      });
      expect(JSON.stringify(event)).not.toContain('Seen Live Ltd');
    } finally {
      await closeSocket(ws);
    }
  });

  test('a change made in-process (another transport) reaches the browser too', async () => {
    const outcome = await connectEvents(eventsUrl(), { headers: { Authorization: `Bearer ${apiToken}` } });
    if (!('opened' in outcome)) throw new Error(`upgrade refused: ${outcome.status} ${outcome.body}`);
    const ws = outcome.opened;
    try {
      const before = await currentSettings();
      const received = nextMessage(ws);
      const result = await hearth.dispatcher.call(
        'settings.update',
        { version: before.version, patch: { phoneRegion: 'US' } },
        hearth.localActor,
      );
      expect(result.ok).toBe(true);
      expect(await received).toMatchObject({ type: 'change', procedure: 'settings.update' });
    } finally {
      await closeSocket(ws);
    }
  });

  test('the event stream refuses a connection without a session (401)', async () => {
    const variants: Array<Record<string, string>> = [{}, { Cookie: 'hearth_session=made-up' }];
    for (const headers of variants) {
      const outcome = await connectEvents(eventsUrl(), { headers });
      expect(outcome).toMatchObject({ status: 401 });
      if ('body' in outcome) expect((JSON.parse(outcome.body) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
    }
  });

  test('the event stream refuses another origin (403), even with a valid session', async () => {
    const outcome = await connectEvents(eventsUrl(), {
      headers: { Cookie: await signIn() },
      origin: 'http://evil.example',
    });
    expect(outcome).toMatchObject({ status: 403 });
    if ('body' in outcome) expect((JSON.parse(outcome.body) as ErrorBody).error.code).toBe('FORBIDDEN');
  });

  test('the event stream refuses a foreign Host name (DNS rebinding)', async () => {
    const res = await rawRequest(server.port, {
      path: '/api/events',
      headers: { ...upgradeHeaders(), Host: `evil.example:${server.port}`, Cookie: await signIn() },
    });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('FORBIDDEN');
  });

  test('a WebSocket to any other path is refused with 404', async () => {
    const outcome = await connectEvents(`ws://127.0.0.1:${server.port}/api/other`, {
      headers: { Authorization: `Bearer ${apiToken}` },
    });
    expect(outcome).toMatchObject({ status: 404 });
  });

  test('closing the server closes open event streams', async () => {
    const own = await start();
    const outcome = await connectEvents(`ws://127.0.0.1:${own.port}/api/events`, {
      headers: { Authorization: `Bearer ${own.issueApiToken()}` },
    });
    if (!('opened' in outcome)) throw new Error(`upgrade refused: ${outcome.status}`);
    const closed = new Promise<void>((resolve) => outcome.opened.once('close', () => resolve()));
    await own.close();
    await closed;
    await expect(fetch(`${own.origin}/`)).rejects.toThrow();
  });
});
