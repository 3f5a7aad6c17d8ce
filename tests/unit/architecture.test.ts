/**
 * The layering docs/architecture.md describes, checked on the source: who may import
 * neo4j-driver, who may write Cypher, who may read the environment, and which way imports go.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles(SRC).map((file) => ({
  name: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));

/** The modules a file imports (static and dynamic), resolved relative to src/. */
function imports(file: { name: string; text: string }): string[] {
  const found = [...file.text.matchAll(/(?:from\s+|import\s*\(?\s*)'([^']+)'/g)].map((m) => m[1] as string);
  return found.map((spec) => (spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file.name), spec)) : spec));
}

const layer = (name: string) => name.split('/')[0] as string;
const CYPHER = /\b(?:MATCH|MERGE|UNWIND|DETACH DELETE|OPTIONAL MATCH)\s+[($]/;

describe('the architecture holds', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('only src/db imports neo4j-driver', () => {
    const offenders = files.filter((f) => !f.name.startsWith('db/') && imports(f).includes('neo4j-driver')).map((f) => f.name);
    expect(offenders).toEqual([]);
  });

  it('only src/db holds Cypher', () => {
    const offenders = files.filter((f) => !f.name.startsWith('db/') && CYPHER.test(f.text)).map((f) => f.name);
    expect(offenders).toEqual([]);
  });

  it('only src/config.ts reads the environment', () => {
    const offenders = files.filter((f) => f.name !== 'config.ts' && /process\.env\b/.test(f.text)).map((f) => f.name);
    expect(offenders).toEqual([]);
  });

  it.each([
    ['db', ['resolvers', 'loaders', 'http', 'ingest', 'export', 'cli', 'server', 'apollo', 'app']],
    ['ingest', ['resolvers', 'loaders', 'http', 'cli', 'server', 'apollo']],
    ['loaders', ['resolvers', 'http', 'ingest', 'cli', 'server', 'apollo']],
    ['resolvers', ['http', 'ingest', 'cli', 'server']],
    ['export', ['resolvers', 'loaders', 'http', 'cli', 'server', 'apollo']],
  ])('src/%s imports none of the layers above it', (from, forbidden) => {
    const offenders = files
      .filter((f) => layer(f.name) === from)
      .flatMap((f) => imports(f).filter((spec) => forbidden.includes(layer(spec).replace(/\.ts$/, ''))).map((spec) => `${f.name} -> ${spec}`));
    expect(offenders).toEqual([]);
  });
});
