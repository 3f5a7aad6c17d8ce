import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dockerEngineReachable } from '../../src/neo4j/docker';

describe('getting a Neo4j', () => {
  it('sees at once that a Docker socket nobody serves is no engine', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-docker-'));
    const socket = path.join(dir, 'docker.sock');
    fs.writeFileSync(socket, '');
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socket}`;
    try {
      const started = Date.now();
      await expect(dockerEngineReachable()).resolves.toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which of the three ways to provide when there is no Java, Docker or NEO4J_URI', () => {
    // A child process with an empty PATH: no java, no mvn, no docker.
    const script = `require('tsx/cjs');
      require(${JSON.stringify(path.resolve(__dirname, '../../src/neo4j/index.ts'))})
        .getNeo4j({ forTests: true })
        .then(() => process.exit(3), (error) => { process.stderr.write(error.message); process.exit(0); });`;
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent/docker.sock', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/set NEO4J_URI[\s\S]*Java 17 or newer[\s\S]*Docker engine/);
  });
});
