/**
 * graphql-jit as Apollo's executor. graphql-jit compiles each operation once into a function
 * that runs its resolvers and completes the answer without graphql-js's field-by-field walk,
 * which was about a fifth of the server's CPU on large answers. Apollo still parses, validates
 * (with this API's limits), runs its plugins and formats errors; it hands the executor the
 * parsed document, which its document store keeps per query text, so an operation is compiled
 * once for every request that sends the same text. The resolvers are the same; GRAPHQL_EXECUTOR
 * selects graphql-js instead.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  printSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Context } from './context';

type Gateway = ApolloServerOptionsWithGateway<Context>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** Apollo's gateway interface around one fixed schema, executing with graphql-jit. */
export function jitGateway(typeDefs: string, resolvers: Parameters<typeof makeExecutableSchema>[0]['resolvers']): Gateway {
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return { executor: jitExecutor(schema) };
    },
    async stop() {},
  };
}

/** What compileQuery() gives: the compiled operation, or the errors that kept it from compiling. */
type Compiled = ReturnType<typeof compileQuery<Record<string, unknown>, Record<string, unknown>>>;

/**
 * The most field copies an operation may compile to (see expansion()); larger ones run under
 * graphql-js. graphql-jit compiles every field below an interface once per type that implements
 * it, so each nested level of an entity field multiplies the code by seven: five levels of
 * `belongsTo` took 3.7 s and 1.1 GB to compile. This bound keeps a compilation to milliseconds
 * and admits every query of the README and the benchmark.
 */
export const JIT_MAX_EXPANSION = 2000;

function jitExecutor(schema: GraphQLSchema): Executor {
  // By document (Apollo's document store hands back the same one for the same text), then
  // operation name; null where the operation runs under graphql-js.
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled | null>>();
  return async (request) => {
    let byOperation = compiled.get(request.document);
    if (!byOperation) {
      byOperation = new Map();
      compiled.set(request.document, byOperation);
    }
    const name = request.operationName ?? '';
    let query = byOperation.get(name);
    if (query === undefined) {
      query =
        expansion(schema, request.document, request.operationName, JIT_MAX_EXPANSION) > JIT_MAX_EXPANSION
          ? null
          : compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, request.document, request.operationName ?? undefined);
      byOperation.set(name, query);
    }
    type Result = Awaited<ReturnType<Executor>>;
    // Variables coerced by graphql-js first, so that a bad one is refused with graphql-js's own
    // error, which Apollo answers as a BAD_USER_INPUT (400), whichever executor runs.
    const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], request.request.variables ?? {});
    if (coerced.errors) return { errors: coerced.errors } as Result;
    if (query === null) {
      return (await execute({ schema, document: request.document, operationName: request.operationName, contextValue: request.context, variableValues: request.request.variables })) as Result;
    }
    if (!isCompiledQuery(query)) return query as Result;
    return (await query.query(undefined, request.context, request.request.variables ?? {})) as Result;
  };
}

/**
 * How many field copies graphql-jit would compile the operation to: each field counted once per
 * combination of the runtime types of the interfaces above it (an upper bound: a fragment on one
 * type is counted as if on all). Stops counting past `limit`.
 */
export function expansion(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, limit: number): number {
  const operation = getOperationAST(document, operationName);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  let count = 0;
  const visit = (selections: readonly SelectionNode[], parent: GraphQLNamedType, copies: number, spread: ReadonlySet<string>): void => {
    for (const selection of selections) {
      if (count > limit) return;
      if (selection.kind === Kind.FIELD) {
        count += copies;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) continue;
        const type = getNamedType(field.type);
        visit(selection.selectionSet.selections, type, copies * (isAbstractType(type) ? schema.getPossibleTypes(type).length : 1), spread);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(selection.selectionSet.selections, type ?? parent, copies, spread);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        visit(fragment.selectionSet.selections, type, copies, new Set([...spread, fragment.name.value]));
      }
    }
  };
  visit(operation.selectionSet.selections, root, 1, new Set());
  return count;
}
