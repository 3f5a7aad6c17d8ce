/**
 * The HTTP server: Apollo (src/apollo.ts) and the routes (src/http/router.ts) on one node:http
 * server, with the response cache's version watch started and stopped alongside.
 */
import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { createApollo, type ServerOptions } from './apollo';
import { GraphVersionWatch, ResponseCache } from './cache';
import { config } from './config';
import type { Context } from './context';
import { sendJson } from './http/respond';
import { route } from './http/router';
import { createMetrics, routeOf, type Metrics } from './observability';

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
    void route(request, response, { apollo, db, logger, metrics }).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error in request handler');
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else response.end();
    });
  });

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
