// The app:// protocol that serves the built renderer: one origin, a strict CSP, and nothing outside dist/renderer.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_MIME_TYPES,
  RENDERER_SECURITY_HEADERS,
} from '../src/server/renderer-policy.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hearth';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export { CONTENT_SECURITY_POLICY };

/**
 * Privileges for `protocol.registerSchemesAsPrivileged`. `standard` gives the scheme a real origin (so
 * relative URLs, storage and `'self'` work); `secure` makes it a secure context; Vite's module scripts
 * carry `crossorigin`, which needs CORS and fetch support on the scheme.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  codeCache: true,
} as const;

/**
 * Whether a URL belongs to the app. Compares scheme and host rather than `URL.origin`, which Node and
 * the WHATWG parser report as "null" for schemes they do not know.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * Maps an app:// URL to a file under `root`, or null when it names anything outside it. Percent-decoding
 * happens before the containment check, so `%2e%2e%2f` and encoded backslashes cannot climb out.
 */
export function resolveAppFile(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

function notFound(status = 404): Response {
  return new Response(status === 404 ? 'Not found' : 'Forbidden', {
    status,
    headers: { ...RENDERER_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The handler for `protocol.handle('app', …)`. Reads with node:fs, which Electron extends to read inside
 * the packaged app.asar. A path with no extension that is not a file gets index.html, so a reload on a
 * client-side route still finds the app.
 */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(403);
    const resolved = resolveAppFile(root, request.url);
    if (!resolved) return notFound(isAppUrl(request.url) ? 403 : 404);
    let file = resolved;
    if (!(await isFile(file))) {
      if (extname(file) !== '') return notFound();
      file = resolve(root, 'index.html');
      if (!(await isFile(file))) return notFound();
    }
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        ...RENDERER_SECURITY_HEADERS,
        'Content-Type': RENDERER_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        // The bundle changes with each build while the origin stays the same.
        'Cache-Control': 'no-cache',
      },
    });
  };
}
