/** The pages' static files: redirects, content types, the CSP, no way out of web/dist/, and a missing bundle. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/executor';
import { resolveInside, serveWeb, WEB_DIST } from '../../src/http/web';
import { logger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { testDb } from '../helpers/graph';

let db: Db;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(WEB_DIST, 'explorer', 'index.html'))) throw new Error('web/dist/ is not built: run npm run build:web');
  db = testDb();
  server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await db.close();
});

describe('resolveInside', () => {
  it.each(['../package.json', '..%2fpackage.json', '%2e%2e/%2e%2e/package.json', 'a/../../package.json', 'x%00.js', '..\\package.json', '%E0%A4%A'])(
    'refuses %s',
    (relative) => expect(resolveInside('/srv/web/explorer', relative)).toBeNull(),
  );

  it('accepts a file inside', () => {
    expect(resolveInside('/srv/web/explorer', 'explorer.js')).toBe('/srv/web/explorer/explorer.js');
  });
});

describe('the pages over HTTP', () => {
  it('redirects / to the explorer and /graphiql to /graphiql/', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/explorer/']);
    const graphiql = await fetch(`${base}/graphiql`, { redirect: 'manual' });
    expect([graphiql.status, graphiql.headers.get('location')]).toEqual([301, '/graphiql/']);
  });

  it.each([
    ['/explorer/', 'text/html; charset=utf-8'],
    ['/explorer/explorer.js', 'text/javascript; charset=utf-8'],
    ['/explorer/explorer.css', 'text/css; charset=utf-8'],
    ['/explorer/source/lt-mod-2024-03-25-chod-belgium', 'text/html; charset=utf-8'],
    ['/explorer/source.js', 'text/javascript; charset=utf-8'],
    ['/graphiql/', 'text/html; charset=utf-8'],
    ['/graphiql/graphiql.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s with a strict Content-Security-Policy', async (url, type) => {
    const response = await fetch(`${base}${url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    if (url.startsWith('/explorer')) expect(csp).toContain("style-src 'self';");
  });

  it('serves the source reader page for /explorer/source/<id>, whatever the id', async () => {
    for (const url of ['/explorer/source/lt-mod-2024-03-25-chod-belgium', '/explorer/source/no-such-source']) {
      const body = await (await fetch(`${base}${url}`)).text();
      expect(body).toContain('<script src="/explorer/source.js"></script>');
    }
  });

  it.each(['/explorer/source/a/b', '/explorer/source/', '/explorer/..%2f..%2fpackage.json', '/graphiql/%2e%2e/%2e%2e/package.json', '/explorer/nothing.js', '/explorer/%2e%2e%5c..%5cpackage.json'])('answers %s with 404', async (url) => {
    const response = await fetch(`${base}${url}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"name"');
  });

  it('says how to build the pages when the bundle is missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-web-'));
    const plain = http.createServer((request, response) => void serveWeb(request, response, new URL(request.url ?? '/', 'http://x').pathname, empty));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/explorer/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('Run `npm run build:web`');
    } finally {
      plain.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
