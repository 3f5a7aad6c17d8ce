/** Resolvers map arguments to loaders and data-access calls; no Cypher here. */
import type { Context } from '../context';

export const resolvers = {
  Query: {
    node: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.entity.load(args.id),
  },
  Node: {
    __resolveType: () => 'Entity',
  },
};
