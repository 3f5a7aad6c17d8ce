/**
 * GET /export?format=graphml&asOf=2024-03-25&includeUnknown=true&domain=LAND&kinds=Country,Unit&status=ACTIVE,PLANNED:
 * the export as a download. A bad parameter is a 400 with a JSON error naming it.
 */
import type http from 'node:http';
import type { Db } from '../db/executor';
import { checkExportOptions, ExportOptionError, exportGraph } from '../export';
import { sendJson } from './respond';

export async function handleExport(request: http.IncomingMessage, response: http.ServerResponse, db: Db, url: URL): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendJson(response, 405, { error: 'Use GET for /export.' }, { allow: 'GET, HEAD' });
  }
  const all = (name: string) => (url.searchParams.has(name) ? url.searchParams.getAll(name) : undefined);
  let checked;
  try {
    checked = checkExportOptions({
      format: url.searchParams.get('format') ?? undefined,
      asOf: url.searchParams.get('asOf') ?? undefined,
      includeUnknown: url.searchParams.get('includeUnknown') ?? undefined,
      domain: url.searchParams.get('domain') ?? undefined,
      kinds: all('kinds'),
      status: all('status'),
    });
  } catch (error) {
    if (error instanceof ExportOptionError) {
      return sendJson(response, 400, { error: error.message, extensions: { code: 'BAD_USER_INPUT', parameter: error.option, value: error.value } });
    }
    throw error;
  }
  const file = await exportGraph(db, { ...checked, exportedAt: new Date() });
  response.writeHead(200, {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.filename}"`,
    'content-length': Buffer.byteLength(file.body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
