import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppProtocolHandler, isAppUrl, resolveAppFile } from './app-protocol.js';

describe('isAppUrl', () => {
  it('accepts the app origin and nothing that merely looks like it', () => {
    expect(isAppUrl('app://hearth/index.html')).toBe(true);
    expect(isAppUrl('app://hearth/')).toBe(true);
    expect(isAppUrl('app://hearth.evil/index.html')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@hearth/index.html')).toBe(false);
    expect(isAppUrl('https://hearth/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('about:blank')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('resolveAppFile', () => {
  const root = '/srv/renderer';

  it('maps the root to index.html and paths to files under the root', () => {
    expect(resolveAppFile(root, 'app://hearth/')).toBe('/srv/renderer/index.html');
    expect(resolveAppFile(root, 'app://hearth/assets/app-1.js?x=1#y')).toBe('/srv/renderer/assets/app-1.js');
    expect(resolveAppFile(root, 'app://hearth/a%20b.png')).toBe('/srv/renderer/a b.png');
  });

  it('keeps dot segments that the URL parser resolves inside the root', () => {
    expect(resolveAppFile(root, 'app://hearth/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/renderer/etc/passwd');
  });

  it.each([
    'app://hearth/..%2f..%2fetc/passwd',
    'app://hearth/assets/..%2f..%2f..%2fetc/passwd',
    'app://hearth/..%5c..%5cwindows',
    'app://hearth/a%00.js',
    'app://hearth/%E0%A4%A',
    'app://other/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });
});

describe('createAppProtocolHandler', () => {
  let dir: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-protocol-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Hearth</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    handle = createAppProtocolHandler(join(dir, 'renderer'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the entry page with the strict CSP and a content type', async () => {
    const response = await handle(new Request('app://hearth/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Hearth</title>');
  });

  it('serves module scripts as JavaScript', async () => {
    const response = await handle(new Request('app://hearth/assets/app.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export {};');
  });

  it('never serves a file outside the renderer folder', async () => {
    const response = await handle(new Request('app://hearth/..%2fsecret.txt'));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside the root');
  });

  it('answers 404 for a missing asset but serves the app for a client-side route', async () => {
    expect((await handle(new Request('app://hearth/assets/missing.js'))).status).toBe(404);
    const route = await handle(new Request('app://hearth/people/123'));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Hearth</title>');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await handle(new Request('app://hearth/', { method: 'POST', body: 'x' }))).status).toBe(403);
  });
});
