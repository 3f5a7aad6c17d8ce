/**
 * The browser pages, served from the bundles that `npm run build:web` writes to web/dist/
 * (npm install runs it): the explorer at /explorer/ (and / redirects there), its source reader at
 * /explorer/source/<id>, and GraphiQL at /graphiql/. Files are read only from inside their app's folder, with a strict Content-Security-
 * Policy: the pages load nothing from anywhere but this server.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');
export const WEB_APPS = ['explorer', 'graphiql'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Everything from this server only: no inline script, no eval, no other origin. */
function contentSecurityPolicy(inlineStyles: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The explorer sets styles through the CSSOM only, so it needs no inline styles. GraphiQL does:
 * its dialogs (Radix) insert a <style> element when they open.
 */
export const CONTENT_SECURITY_POLICY: Record<(typeof WEB_APPS)[number], string> = {
  explorer: contentSecurityPolicy(false),
  graphiql: contentSecurityPolicy(true),
};

const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy(false),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function text(response: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers });
  response.end(body);
}

/** True for the paths this module answers: /, and everything under /explorer and /graphiql. */
export function isWebPath(pathname: string): boolean {
  return pathname === '/' || WEB_APPS.some((app) => pathname === `/${app}` || pathname.startsWith(`/${app}/`));
}

/**
 * The file a URL path names inside `root`, or null when the path would leave it (../, encoded
 * or not, absolute paths, NUL bytes).
 */
export function resolveInside(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const file = path.resolve(root, `.${path.posix.sep}${decoded}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

export async function serveWeb(request: http.IncomingMessage, response: http.ServerResponse, pathname: string, dist: string = WEB_DIST): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(response, 405, 'Use GET.', { allow: 'GET, HEAD' });
  if (pathname === '/') return text(response, 302, 'See /explorer/', { location: '/explorer/' });
  const app = WEB_APPS.find((name) => pathname === `/${name}` || pathname.startsWith(`/${name}/`));
  if (!app) return text(response, 404, `No page at ${pathname}`);
  if (pathname === `/${app}`) return text(response, 301, `See /${app}/`, { location: `/${app}/` });

  const root = path.join(dist, app);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return text(
      response,
      503,
      `The ${app} page is not built yet: web/dist/${app}/ is missing.\n` +
        'Run `npm run build:web` (npm install and npm ci run it), then reload.\n' +
        'The GraphQL API itself works without it, at /graphql.\n',
    );
  }
  // The source reader, /explorer/source/<source id>, is one page for every source: it reads the id from its URL.
  const isSourceReader = app === 'explorer' && /^\/explorer\/source\/[^/]+$/.test(pathname);
  const rest = isSourceReader ? 'source.html' : pathname.slice(app.length + 2) || 'index.html';
  const file = resolveInside(root, rest);
  if (!file) return text(response, 404, `No file ${pathname}`);
  let body: Buffer;
  try {
    if (!(await fs.promises.stat(file)).isFile()) return text(response, 404, `No file ${pathname}`);
    body = await fs.promises.readFile(file);
  } catch {
    return text(response, 404, `No file ${pathname}`);
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-security-policy': CONTENT_SECURITY_POLICY[app],
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
