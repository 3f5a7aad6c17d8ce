/**
 * The layering docs/architecture.md describes, checked on the source: who may import
 * neo4j-driver, who may write Cypher, who may read the environment, and which way imports go;
 * and the same rules for scripts/ and bench/, with the few exceptions they need, each with its reason.
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
const CYPHER = /\b(?:MATCH|MERGE|UNWIND|DETACH DELETE|OPTIONAL MATCH)\s+[($]|\bCALL\s+(?:db|dbms|tx)\.\w/;
const ENV = /process\.env\b/;

/** scripts/ and bench/: they use the product through src/ as any client does. */
const ROOT = path.join(__dirname, '..', '..');
function toolFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['results', 'data', 'node_modules'].includes(entry.name) ? [] : toolFiles(full);
    return /\.(?:ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}
const tools = ['scripts', 'bench'].flatMap((dir) => toolFiles(path.join(ROOT, dir))).map((file) => ({
  name: path.relative(ROOT, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));

/** What scripts/ and bench/ may do that src/ leaves to src/db and src/config.ts, and why. */
const TOOL_EXCEPTIONS: Record<'driver' | 'cypher' | 'env', Record<string, string>> = {
  driver: {
    'bench/floor.ts': 'the floor is plain Cypher over the bare driver: what the API is measured against',
    'bench/peer.ts': '@neo4j/graphql, the peer, is given a driver of its own',
  },
  cypher: {
    'bench/floor.ts': 'the floor is plain Cypher over the bare driver: what the API is measured against',
    'bench/targets.ts': "the benchmark's choice of inputs (busiest countries, initiatives, search words): questions about the dataset that the product does not ask",
    'bench/stored-links.ts': 'measures a design the product does not build (shared links stored as relationships): its Cypher writes and reads them',
  },
  env: {
    'bench/harness/children.ts': 'hands its own environment on to the servers it spawns, with theirs on top',
    'scripts/build-web.mjs': "names process.env.NODE_ENV for esbuild to replace in the pages' bundle; nothing reads it",
  },
};

function toolOffenders(rule: keyof typeof TOOL_EXCEPTIONS, breaks: (f: { name: string; text: string }) => boolean): string[] {
  return tools.filter((f) => breaks(f) && !(f.name in TOOL_EXCEPTIONS[rule])).map((f) => f.name);
}

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
    const offenders = files.filter((f) => f.name !== 'config.ts' && ENV.test(f.text)).map((f) => f.name);
    expect(offenders).toEqual([]);
  });

  it('finds the scripts and the benchmark', () => {
    expect(tools.length).toBeGreaterThan(15);
  });

  it('scripts/ and bench/ import neo4j-driver only where they must', () => {
    expect(toolOffenders('driver', (f) => imports(f).includes('neo4j-driver'))).toEqual([]);
  });

  it('scripts/ and bench/ hold Cypher only where they must, asking src/db otherwise', () => {
    expect(toolOffenders('cypher', (f) => CYPHER.test(f.text))).toEqual([]);
  });

  it('scripts/ and bench/ read the environment through src/config.ts, except where they hand it on', () => {
    expect(toolOffenders('env', (f) => ENV.test(f.text))).toEqual([]);
  });

  it('each exception is still needed, so none outlives its reason', () => {
    const tests = { driver: (f: { name: string; text: string }) => imports(f).includes('neo4j-driver'), cypher: (f: { text: string }) => CYPHER.test(f.text), env: (f: { text: string }) => ENV.test(f.text) };
    const stale = Object.entries(TOOL_EXCEPTIONS).flatMap(([rule, allowed]) =>
      Object.keys(allowed)
        .filter((name) => !tools.some((f) => f.name === name && tests[rule as keyof typeof tests](f)))
        .map((name) => `${rule}: ${name}`),
    );
    expect(stale).toEqual([]);
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
