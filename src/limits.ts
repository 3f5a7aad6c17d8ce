/**
 * Limits on the shape of a GraphQL document, checked while Apollo parses and validates it, so
 * before any resolver (and any Cypher) runs: tokens (graphql-js's parser), then depth, aliases,
 * directives and cost (graphql-armor's validation rules, which follow fragment spreads).
 * A rejected document is answered 400 with GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED.
 * Argument limits (page size, hops, search text) are in src/resolvers/args.ts.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from './config';

export interface QueryLimits {
  /** Deepest field nesting; a fragment spread counts as a level. */
  depth: number;
  aliases: number;
  directives: number;
  /** Lexical tokens in the document, counted by the parser, which stops at the limit. */
  tokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`. */
  cost: number;
}

export function limitsFromConfig(cfg: Config): QueryLimits {
  return {
    depth: cfg.GRAPHQL_MAX_DEPTH,
    aliases: cfg.GRAPHQL_MAX_ALIASES,
    directives: cfg.GRAPHQL_MAX_DIRECTIVES,
    tokens: cfg.GRAPHQL_MAX_TOKENS,
    cost: cfg.GRAPHQL_MAX_COST,
  };
}

/**
 * graphql-armor reports a rejection to a handler; this one reports it as a validation error,
 * without the "Syntax Error: " prefix armor puts on it (it is not one).
 */
function report(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}

/** Validation rules for depth, aliases, directives and cost (tokens are a parse option). */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const common = { propagateOnRejection: false, onReject: [report], exposeLimits: true };
  return [
    maxDepthRule({ ...common, n: limits.depth, ignoreIntrospection: true, flattenFragments: false }),
    maxAliasesRule({ ...common, n: limits.aliases }),
    maxDirectivesRule({ ...common, n: limits.directives }),
    costLimitRule({ ...common, maxCost: limits.cost, ignoreIntrospection: true, flattenFragments: false }),
  ] as ValidationRule[];
}

/** Removes graphql-js's "Did you mean …?" hints, which name schema fields and types. */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/\s*Did you mean [^?]*\?/g, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
