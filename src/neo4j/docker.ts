/** A throwaway neo4j:5 container for tests, when a Docker engine answers. */
import fs from 'node:fs';
import http from 'node:http';
import { config } from '../config';
import type { Neo4jTarget } from './index';

/**
 * True only if a Docker engine answers /_ping within two seconds. A docker client with no
 * engine behind it (no socket, or a socket nobody serves) is detected at once.
 */
export async function dockerEngineReachable(timeoutMs = 2000): Promise<boolean> {
  const host = config().DOCKER_HOST;
  let socketPath = '/var/run/docker.sock';
  let url: URL | undefined;
  if (host?.startsWith('unix://')) socketPath = host.slice('unix://'.length);
  else if (host?.startsWith('tcp://')) url = new URL(`http://${host.slice('tcp://'.length)}`);
  if (!url && !fs.existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const request = http.request(
      url
        ? { host: url.hostname, port: url.port, path: '/_ping', timeout: timeoutMs }
        : { socketPath, path: '/_ping', timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

export async function startContainer(): Promise<Neo4jTarget> {
  // Loaded only when Docker is there: testcontainers is a dev dependency.
  const { Neo4jContainer } = await import('@testcontainers/neo4j');
  const container = await new Neo4jContainer('neo4j:5').withPassword('dcg-test-password').start();
  return {
    uri: container.getBoltUri(),
    user: container.getUsername(),
    password: container.getPassword(),
    database: undefined,
    origin: 'docker',
    stop: async () => {
      await container.stop();
    },
  };
}
