/**
 * Prometheus metrics (prom-client) and one structured log line per GraphQL request.
 * The Apollo plugin below measures every request that reaches Apollo's pipeline; the HTTP
 * counter also sees those refused before it (413, CSRF, batches, unknown routes).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Context } from './context';
import type { Db } from './db/executor';

/** Operation names are chosen by clients: past this many distinct ones, the rest count as "other". */
export const MAX_OPERATION_LABELS = 50;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ERROR_CODE = /^[A-Z_]{1,64}$/;

export interface Metrics {
  registry: Registry;
  /** Counts an HTTP response by route (see routeOf) and status. */
  httpResponse(route: string, status: number): void;
  /** The Apollo plugin that records requests, latency, errors and Cypher round trips, and logs each request. */
  plugin(): ApolloServerPlugin<Context>;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'dcg_graphql_requests_total',
    help: 'GraphQL requests, by operation name',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dcg_graphql_request_duration_seconds',
    help: 'Time from the start of a GraphQL request to its response, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'dcg_graphql_errors_total',
    help: 'Errors sent to clients, by code and operation name',
    labelNames: ['code', 'operation'] as const,
    registers: [registry],
  });
  const roundTrips = new Histogram({
    name: 'dcg_cypher_round_trips',
    help: 'Cypher queries sent for one GraphQL request, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34],
    registers: [registry],
  });
  new Gauge({
    name: 'dcg_cypher_in_flight',
    help: 'Cypher queries sent to Neo4j and not yet answered',
    registers: [registry],
    collect() {
      this.set(db.inFlight);
    },
  });
  const cacheHits = new Counter({
    name: 'dcg_response_cache_hits_total',
    help: 'GraphQL requests answered from the response cache, with no Cypher, by operation name',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const http = new Counter({
    name: 'dcg_http_responses_total',
    help: 'HTTP responses, by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });

  const operations = new Set<string>();
  function operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(name);
    return name;
  }

  return {
    registry,
    httpResponse(route, status) {
      http.inc({ route, status: String(status) });
    },
    plugin() {
      return {
        async requestDidStart({ request, contextValue }) {
          const started = performance.now();
          let operationName = request.operationName ?? null;
          return {
            async didResolveOperation({ operationName: resolved }) {
              operationName = resolved ?? operationName;
            },
            async willSendResponse({ response }) {
              const seconds = (performance.now() - started) / 1000;
              const operation = operationLabel(operationName);
              const trips = contextValue.db.roundTrips;
              const codes = response.body.kind === 'single'
                ? (response.body.singleResult.errors ?? []).map((e) => {
                    const code = e.extensions?.code;
                    return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER';
                  })
                : [];
              requests.inc({ operation });
              duration.observe({ operation }, seconds);
              roundTrips.observe({ operation }, trips);
              const cached = contextValue.cached === true;
              if (cached) cacheHits.inc({ operation });
              for (const code of codes) errors.inc({ code, operation });
              contextValue.logger.info(
                {
                  operationName: operationName ?? null,
                  ms: Math.round(seconds * 10_000) / 10,
                  roundTrips: trips,
                  cached,
                  status: response.http.status ?? 200,
                  ...(codes.length > 0 ? { errors: codes } : {}),
                },
                'graphql request',
              );
            },
          };
        },
      };
    },
  };
}

/** The label for a path: known routes by name, anything else as "other" (paths are client-chosen). */
export function routeOf(pathname: string): string {
  if (pathname === '/graphql') return 'graphql';
  if (pathname.startsWith('/health/')) return 'health';
  if (pathname === '/metrics') return 'metrics';
  if (pathname === '/export') return 'export';
  return 'other';
}
