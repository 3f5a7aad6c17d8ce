import fs from 'node:fs';
import { configReference, parseConfig } from '../../src/config';
import { OPERATIONS_DOC, withConfigTable } from '../../scripts/config-table';

describe('config', () => {
  it('has defaults for a fresh clone', () => {
    const cfg = parseConfig({});
    expect(cfg.PORT).toBe(4000);
    expect(cfg.NEO4J_URI).toBeUndefined();
    expect(cfg.NEO4J_LOCAL_PORT).toBe(7687);
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('treats an empty NEO4J_URI as unset', () => {
    expect(parseConfig({ NEO4J_URI: '  ' }).NEO4J_URI).toBeUndefined();
  });

  it('names every bad variable with its value', () => {
    expect(() => parseConfig({ PORT: '99999', LOG_LEVEL: 'loud' })).toThrow(
      /PORT="99999": Too big: expected number to be <=65535[\s\S]*LOG_LEVEL="loud"/,
    );
  });
});

describe('the logger', () => {
  it('reads the configuration on first use, not on import', () => {
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'loud';
    try {
      jest.isolateModules(() => {
        // Importing it (and the modules that import it) must not parse the environment.
        const { logger } = require('../../src/logger') as typeof import('../../src/logger');
        expect(() => logger.info('first use')).toThrow(/LOG_LEVEL="loud"/);
      });
    } finally {
      if (level === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = level;
    }
  });
});

describe('the configuration table of docs/operations.md', () => {
  it('is the one src/config.ts gives (npm run docs:config rewrites it)', () => {
    const markdown = fs.readFileSync(OPERATIONS_DOC, 'utf8');
    expect(markdown).toBe(withConfigTable(markdown));
  });

  it('documents every variable the schema reads, with a meaning', () => {
    const names = configReference().map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'NEO4J_URI', 'JAVA_HOME', 'DOCKER_HOST', 'GRAPH_VERSION_POLL_MS']));
    for (const row of configReference()) expect(row.description.length).toBeGreaterThan(5);
  });
});
