/**
 * The query compiler: one Cypher query per root field, built from the request's selection
 * (README.md in this folder). Resolvers read a compiled answer with precomputed().
 */
import { isNonNullType, type GraphQLOutputType } from 'graphql';
import { COMPILED } from './query';

export { COMPILED, type CompiledQuery } from './query';
export { CLAIMS } from './fact';
export { childPosition, type Position, type Request } from './selection';
export * from './roots';

/**
 * The compiled answer of the field being resolved (by its response key) on a compiled parent;
 * undefined when the parent was not compiled or the field was left out, so that the resolver
 * takes its DataLoader path. A null where the schema allows none is left to that path too, which
 * says what is missing.
 */
export function precomputed<T>(parent: unknown, info: { path: { key: string | number }; returnType: GraphQLOutputType }): T | undefined {
  const nested = (parent as Record<string, unknown> | null | undefined)?.[COMPILED] as Record<string, unknown> | undefined;
  if (!nested) return undefined;
  const key = String(info.path.key);
  if (!Object.prototype.hasOwnProperty.call(nested, key)) return undefined;
  const value = nested[key];
  if (value === null && isNonNullType(info.returnType)) return undefined;
  return value as T;
}
