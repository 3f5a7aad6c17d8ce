/**
 * The environment, read once into a frozen, typed object. Every variable the product reads is
 * here, with its meaning; nothing else in src/ touches process.env.
 */
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * What a variable means, and its default as a person reads it (when the parsed default is not
 * that, e.g. an absolute path). docs/operations.md's configuration table is generated from it.
 */
interface VariableDoc {
  description: string;
  shownDefault?: string;
}
const doc = <T extends z.ZodType>(schema: T, meta: VariableDoc): T => schema.meta({ ...meta });

const envSchema = z.object({
  PORT: doc(port.default(4000), { description: 'HTTP port of the API' }),
  HOST: doc(z.string().default('127.0.0.1'), { description: 'interface the API listens on (`0.0.0.0` in containers)' }),
  NODE_ENV: doc(z.enum(['development', 'production', 'test']).default('development'), {
    description: '`production` turns off introspection, "Did you mean" suggestions and stack traces',
  }),
  LOG_LEVEL: doc(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    description: 'pino level: `fatal` … `trace`, or `silent`',
  }),
  NEO4J_URI: doc(optionalText, { description: 'an existing Neo4j to use; unset = start a local one' }),
  NEO4J_USER: doc(z.string().default('neo4j'), { description: 'user for `NEO4J_URI`' }),
  NEO4J_PASSWORD: doc(z.string().default(''), { description: 'password for `NEO4J_URI`', shownDefault: 'empty' }),
  NEO4J_DATABASE: doc(optionalText, { description: 'database name on `NEO4J_URI`', shownDefault: 'server default' }),
  NEO4J_TEST_URI: doc(optionalText, { description: 'a disposable Neo4j for `npm test` (it is wiped)' }),
  NEO4J_LOCAL_PORT: doc(port.default(7687), { description: 'Bolt port of the local Neo4j' }),
  NEO4J_LOCAL_DATA: doc(z.string().default(path.join(PROJECT_ROOT, '.data', 'neo4j')), {
    description: 'data folder of the local Neo4j (git-ignored)',
    shownDefault: '.data/neo4j',
  }),
  NEO4J_LOCAL_HEAP_MB: doc(positiveInt.default(768), { description: 'JVM heap of the local Neo4j' }),
  NEO4J_LOCAL_PAGECACHE_MB: doc(positiveInt.default(256), { description: 'page cache of the local Neo4j' }),
  JAVA_HOME: doc(optionalText, { description: 'the JDK to run the local Neo4j with (else `java` on the PATH)' }),
  DOCKER_HOST: doc(optionalText, {
    description: 'the Docker engine the tests may start Neo4j in (`unix://…` or `tcp://…`)',
    shownDefault: '/var/run/docker.sock',
  }),
  NEO4J_QUERY_TIMEOUT_MS: doc(positiveInt.default(10_000), { description: 'transaction timeout of every API read' }),
  NEO4J_POOL_SIZE: doc(positiveInt.default(100), { description: "Bolt connection pool size (the driver's own default)" }),
  GRAPHQL_MAX_DEPTH: doc(positiveInt.default(10), { description: 'deepest field nesting of a GraphQL document (see docs/api.md)' }),
  GRAPHQL_MAX_ALIASES: doc(positiveInt.default(15), { description: 'aliases in one operation' }),
  GRAPHQL_MAX_DIRECTIVES: doc(positiveInt.default(10), { description: 'directives in one operation' }),
  GRAPHQL_MAX_TOKENS: doc(positiveInt.default(2000), { description: 'lexical tokens in one document' }),
  GRAPHQL_MAX_COST: doc(positiveInt.default(5000), { description: 'estimated cost of one operation' }),
  GRAPHQL_CONCURRENCY: doc(positiveInt.default(32), {
    description: 'how many GraphQL requests not answered from the cache execute at once; more wait their turn, in arrival order',
  }),
  ANALYTICS_CONCURRENCY: doc(positiveInt.default(2), {
    description: 'how many scans of the whole graph (`cooperationNetwork`, `stats`) run at once; more wait their turn',
  }),
  PARTNERS_CONCURRENCY: doc(positiveInt.default(2), {
    description: 'how many whole `partners` lists (every partner, every link, whatever their number) are read and built at once; more wait their turn',
  }),
  RESPONSE_CACHE_MB: doc(z.coerce.number().int().min(0).default(32), {
    description: 'memory for whole answers kept until the graph changes; `0` turns the cache off',
  }),
  GRAPHQL_COMPILE: doc(z.enum(['on', 'off']).default('on'), {
    description: '`on`: each root field is one Cypher query built from its selection (src/db/compile); `off`: DataLoaders below the root, one round trip per level',
  }),
  HEAP_GROWING_PERCENT: doc(z.coerce.number().int().min(0).max(1000).default(100), {
    description: "how far past its live size `dcg serve` lets V8's heap grow before a full collection, in percent (V8's `--heap-growing-percent`); `0` leaves V8's own, adaptive and up to 4×: a larger RSS for a little less CPU",
  }),
  GRAPHQL_EXECUTOR: doc(z.enum(['jit', 'graphql-js']).default('jit'), {
    description: '`jit`: each operation compiled once by graphql-jit (src/jit.ts); `graphql-js`: its reference executor. Same resolvers, same answers',
  }),
  GRAPH_VERSION_POLL_MS: doc(positiveInt.default(1000), {
    description: "how often the API reads the graph's version, i.e. how soon after a load its answers reflect it",
  }),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

/** Parses an environment; throws one error naming every bad variable, its value and the rule. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * Whether the environment sets `name` (to something not blank), rather than leaving it to its
 * default: for a script whose own default differs from the product's (a quieter log level, the
 * port of a benchmark's child server).
 */
export function configured(name: keyof Config): boolean {
  const value = process.env[name];
  return value !== undefined && value.trim() !== '';
}

/** One row per variable, in the schema's order: the source of docs/operations.md's table. */
export function configReference(): Array<{ name: string; shownDefault: string; description: string }> {
  const defaults = envSchema.parse({}) as Record<string, unknown>;
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const meta = z.globalRegistry.get(schema) as VariableDoc | undefined;
    if (!meta?.description) throw new Error(`config: ${name} has no description`);
    const value = defaults[name];
    const shownDefault = meta.shownDefault ?? (value === undefined ? 'unset' : String(value));
    return { name, shownDefault, description: meta.description };
  });
}

/** The Markdown table of configReference(). */
export function configTable(): string {
  const words = new Set(['unset', 'empty', 'server default']);
  const rows = configReference().map((row) => {
    const shown = words.has(row.shownDefault) ? row.shownDefault : `\`${row.shownDefault}\``;
    return `| \`${row.name}\` | ${shown} | ${row.description} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
