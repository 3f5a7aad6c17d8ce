/**
 * HTTP and Apollo wiring, nothing else: /graphql (GET and POST, GraphQL over HTTP),
 * /health/live, /health/ready, /metrics (Prometheus). Bodies over 1 MB are refused with 413.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { config } from './config';
import type { Db } from './db/executor';
import { GraphVersionWatch, ResponseCache } from './cache';
import { createContext, type Context } from './context';
import { AppError, ErrorCode } from './errors';
import { Gate } from './gate';
import { limitRules, limitsFromConfig, withoutSuggestions, type QueryLimits } from './limits';
import { handleExport } from './http/export';
import { isWebPath, serveWeb } from './http/web';
import type { Logger } from './logger';
import { createMetrics, routeOf, type Metrics } from './observability';
import { SCHEMA_FILE } from './paths';
import { resolvers } from './resolvers';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerOptions {
  db: Db;
  logger: Logger;
  production: boolean;
  /** Document limits; default from the environment (src/config.ts). */
  limits?: QueryLimits;
  /** Prometheus metrics and per-request logs; startServer makes them if not given. */
  metrics?: Metrics;
  /**
   * Whole answers kept until the graph changes (src/cache.ts). startServer makes one from the
   * environment (RESPONSE_CACHE_MB, GRAPH_VERSION_POLL_MS) unless given one, or false for none.
   */
  responseCache?: ResponseCache | false;
}

/** Codes of errors that are safe to show: ours, and those of GraphQL and Apollo themselves. */
const SHOWN_CODES = new Set([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Expected errors keep their message and code; anything else becomes "Unexpected error." with
 * INTERNAL_SERVER_ERROR. The plugin below logs the full error and adds the request id.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (original instanceof AppError || (typeof code === 'string' && SHOWN_CODES.has(code))) return formatted;
  return { message: 'Unexpected error.', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

function errorLogging(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (original instanceof AppError) continue;
            // Parse, validation and variable errors are the client's, not ours: no error-level log.
            const code = error.extensions?.code;
            if (typeof code === 'string' && SHOWN_CODES.has(code)) continue;
            contextValue.logger.error({ err: original, path: error.path }, 'unexpected error');
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/**
 * The API is read-only: the schema has only a Query type. graphql-js 16 notices a mutation or
 * subscription only when executing it (an "unexpected" error, HTTP 200); this refuses it while
 * validating (400 GRAPHQL_VALIDATION_FAILED, before any resolver), as graphql-js 17's
 * KnownOperationTypesRule will.
 */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`The API is read-only: it has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});

/**
 * Every execution (a request not answered from the cache, past validation) waits for a place
 * at the gate, in arrival order, and gives it up when done (src/gate.ts).
 */
function admission(gate: Gate): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          const leave = await gate.enter();
          return {
            async executionDidEnd() {
              leave();
            },
          };
        },
      };
    },
  };
}

export function createApollo(options: ServerOptions, httpServer?: http.Server): ApolloServer<Context> {
  const limits = options.limits ?? limitsFromConfig(config());
  return new ApolloServer<Context>({
    typeDefs: fs.readFileSync(SCHEMA_FILE, 'utf8'),
    resolvers,
    introspection: !options.production,
    includeStacktraceInErrorResponses: !options.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.tokens },
    ...(options.responseCache ? { stringifyResult: options.responseCache.stringifyResult } : {}),
    validationRules: [knownOperationTypes, ...limitRules(limits)],
    formatError: options.production ? (formatted, error) => withoutSuggestions(maskError(formatted, error)) : maskError,
    // Apollo's landing page loads from a CDN; a browser opening /graphql is sent to /graphiql/ instead.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin wraps every field's resolver to compute HTTP cache hints;
      // answers here are cached by the server (src/cache.ts), not by HTTP caches.
      ApolloServerPluginCacheControlDisabled(),
      errorLogging(),
      ...(options.metrics ? [options.metrics.plugin()] : []),
      ...(options.responseCache ? [options.responseCache.plugin()] : []),
      admission(new Gate(config().GRAPHQL_CONCURRENCY)),
      ...(httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer })] : []),
    ],
  });
}

class BodyTooLarge extends Error {}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export interface RunningServer {
  url: string;
  port: number;
  apollo: ApolloServer<Context>;
  metrics: Metrics;
  /** The response cache's view of the graph version, when the cache is on. */
  graphVersion: GraphVersionWatch | undefined;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions & { host: string; port: number }): Promise<RunningServer> {
  const { db, logger } = options;
  const httpServer = http.createServer();
  const metrics = options.metrics ?? createMetrics(db);
  let responseCache = options.responseCache;
  if (responseCache === undefined) {
    const cfg = config();
    responseCache = cfg.RESPONSE_CACHE_MB > 0
      ? new ResponseCache({ watch: new GraphVersionWatch(db, cfg.GRAPH_VERSION_POLL_MS, logger), maxSize: cfg.RESPONSE_CACHE_MB * 1024 * 1024 })
      : false;
  }
  const graphVersion = responseCache ? responseCache.watch : undefined;
  await graphVersion?.start();
  const apollo = createApollo({ ...options, metrics, responseCache }, httpServer);
  await apollo.start();

  httpServer.on('request', (request, response) => {
    response.once('finish', () => metrics.httpResponse(routeOf((request.url ?? '/').split('?')[0] ?? '/'), response.statusCode));
    void handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error in request handler');
      if (!response.headersSent) send(response, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else response.end();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health/live') return send(response, 200, { status: 'live' });
    if (url.pathname === '/health/ready') {
      const ready = await db.ping();
      return send(response, ready ? 200 : 503, { status: ready ? 'ready' : 'neo4j unavailable' });
    }
    if (url.pathname === '/metrics') {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      return void response.end(await metrics.registry.metrics());
    }
    if (url.pathname === '/export') return handleExport(request, response, db, url);
    if (isWebPath(url.pathname)) return serveWeb(request, response, url.pathname);
    if (url.pathname !== '/graphql') return send(response, 404, { error: `No route ${url.pathname}; the API is at /graphql` });
    if (request.method === 'GET' && !url.searchParams.has('query') && (request.headers.accept ?? '').includes('text/html')) {
      response.writeHead(302, { location: '/graphiql/' });
      return void response.end();
    }

    let body: unknown;
    if (request.method === 'POST') {
      let raw: string;
      try {
        raw = await readBody(request);
      } catch (error) {
        if (error instanceof BodyTooLarge) return send(response, 413, { errors: [{ message: `Request body is over the limit of ${MAX_BODY_BYTES} bytes.` }] });
        throw error;
      }
      const contentType = request.headers['content-type'] ?? '';
      if (contentType.includes('json')) {
        try {
          body = raw.length > 0 ? JSON.parse(raw) : undefined;
        } catch {
          return send(response, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
        }
      } else {
        body = raw;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const given = request.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    response.setHeader('x-request-id', requestId);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
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

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    apollo,
    metrics,
    graphVersion,
    close: async () => {
      graphVersion?.stop();
      await apollo.stop();
    },
  };
}
