/**
 * The routes: /graphql (Apollo, through ./graphql), /health/live, /health/ready, /metrics
 * (Prometheus), /export, and the pages under /explorer/ and /graphiql/. Anything else is a 404.
 */
import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Context } from '../context';
import type { Db } from '../db/executor';
import type { Logger } from '../logger';
import type { Metrics } from '../observability';
import { handleExport } from './export';
import { handleGraphQL } from './graphql';
import { sendJson } from './respond';
import { isWebPath, serveWeb } from './web';

export interface Routes {
  apollo: ApolloServer<Context>;
  db: Db;
  logger: Logger;
  metrics: Metrics;
}

export async function route(request: http.IncomingMessage, response: http.ServerResponse, routes: Routes): Promise<void> {
  const { apollo, db, logger, metrics } = routes;
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health/live') return sendJson(response, 200, { status: 'live' });
  if (url.pathname === '/health/ready') {
    const ready = await db.ping();
    return sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'neo4j unavailable' });
  }
  if (url.pathname === '/metrics') {
    response.writeHead(200, { 'content-type': metrics.registry.contentType });
    return void response.end(await metrics.registry.metrics());
  }
  if (url.pathname === '/export') return handleExport(request, response, db, url);
  if (isWebPath(url.pathname)) return serveWeb(request, response, url.pathname);
  if (url.pathname === '/graphql') return handleGraphQL(request, response, url, apollo, db, logger);
  return sendJson(response, 404, { error: `No route ${url.pathname}; the API is at /graphql` });
}
