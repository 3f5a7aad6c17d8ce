/**
 * Apollo's configuration: the schema and resolvers, the document limits, error masking and
 * logging, the response cache, admission and metrics plugins. src/server.ts puts it behind HTTP.
 */
import fs from 'node:fs';
import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { ResponseCache } from './cache';
import { config, type Config } from './config';
import type { Context } from './context';
import type { Db } from './db/executor';
import { AppError, ErrorCode } from './errors';
import { Gate } from './gate';
import { limitRules, limitsFromConfig, withoutSuggestions, type QueryLimits } from './limits';
import { jitGateway } from './jit';
import type { Logger } from './logger';
import type { Metrics } from './observability';
import { SCHEMA_FILE } from './paths';
import { resolvers } from './resolvers';

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
  /** What executes operations (src/jit.ts); default from the environment (GRAPHQL_EXECUTOR). */
  executor?: Config['GRAPHQL_EXECUTOR'];
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
 * The boundary between the domain's errors and GraphQL's: an AppError becomes a GraphQL error
 * with its message, code and details; errors of GraphQL and Apollo themselves keep theirs;
 * anything else becomes "Unexpected error." with INTERNAL_SERVER_ERROR. The plugin below logs the full error and adds the request id.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    const stacktrace = formatted.extensions?.stacktrace;
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...original.extensions, ...(stacktrace === undefined ? {} : { stacktrace }) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SHOWN_CODES.has(code)) return formatted;
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
  const typeDefs = fs.readFileSync(SCHEMA_FILE, 'utf8');
  return new ApolloServer<Context>({
    ...((options.executor ?? config().GRAPHQL_EXECUTOR) === 'jit' ? { gateway: jitGateway(typeDefs, resolvers) } : { typeDefs, resolvers }),
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
