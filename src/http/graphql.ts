/**
 * The node:http adapter for Apollo: reads the body (at most MAX_BODY_BYTES, else 413), passes
 * the request to Apollo with a request id (the client's x-request-id if well-formed), and
 * writes Apollo's answer back. A browser asking /graphql for HTML is sent to GraphiQL.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../context';
import type { Db } from '../db/executor';
import type { Logger } from '../logger';
import { sendJson } from './respond';

export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** The body as text, read by the stream's events (lighter than its async iterator, once per request). */
function readBody(request: http.IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off('data', onData);
        request.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
    // A client gone before the end: nothing to answer (settling after `end` changes nothing).
    request.once('close', () => reject(new Error('The client closed the request before its body was read.')));
  });
}

/** Parses a POST body as Apollo expects it: JSON when the content type says so, else the text. */
type Body = { ok: true; value: unknown } | { ok: false; status: number; message: string; code?: string };

async function parseBody(request: http.IncomingMessage): Promise<Body> {
  if (request.method !== 'POST') return { ok: true, value: undefined };
  let raw: string;
  try {
    raw = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLarge) return { ok: false, status: 413, message: `Request body is over the limit of ${MAX_BODY_BYTES} bytes.` };
    throw error;
  }
  if (!(request.headers['content-type'] ?? '').includes('json')) return { ok: true, value: raw };
  try {
    return { ok: true, value: raw.length > 0 ? JSON.parse(raw) : undefined };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.', code: 'BAD_REQUEST' };
  }
}

export async function handleGraphQL(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  apollo: ApolloServer<Context>,
  db: Db,
  logger: Logger,
): Promise<void> {
  if (request.method === 'GET' && !url.searchParams.has('query') && (request.headers.accept ?? '').includes('text/html')) {
    response.writeHead(302, { location: '/graphiql/' });
    return void response.end();
  }
  const body = await parseBody(request);
  if (!body.ok) {
    return sendJson(response, body.status, { errors: [{ message: body.message, ...(body.code ? { extensions: { code: body.code } } : {}) }] });
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const given = request.headers['x-request-id'];
  const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  response.setHeader('x-request-id', requestId);
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body: body.value },
    context: async () => createContext(db, logger, requestId),
  });
  for (const [key, value] of result.headers) response.setHeader(key, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
  } else {
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }
}
