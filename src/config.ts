/**
 * The environment, read once into a frozen, typed object. Every variable the product reads is
 * here (and in the README's table); nothing else in src/ touches process.env.
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

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NEO4J_URI: optionalText,
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: optionalText,
  NEO4J_TEST_URI: optionalText,
  NEO4J_LOCAL_PORT: port.default(7687),
  NEO4J_LOCAL_DATA: z.string().default(path.join(PROJECT_ROOT, '.data', 'neo4j')),
  NEO4J_LOCAL_HEAP_MB: positiveInt.default(768),
  NEO4J_LOCAL_PAGECACHE_MB: positiveInt.default(256),
  NEO4J_QUERY_TIMEOUT_MS: positiveInt.default(10_000),
  NEO4J_POOL_SIZE: positiveInt.default(100),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  GRAPHQL_MAX_ALIASES: positiveInt.default(15),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.default(10),
  GRAPHQL_MAX_TOKENS: positiveInt.default(2000),
  GRAPHQL_MAX_COST: positiveInt.default(5000),
  GRAPHQL_CONCURRENCY: positiveInt.default(32),
  ANALYTICS_CONCURRENCY: positiveInt.default(2),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).default(32),
  GRAPH_VERSION_POLL_MS: positiveInt.default(1000),
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
