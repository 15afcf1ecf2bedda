import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';

/**
 * The resolver map type `buildSubgraphSchema` takes. Apollo exports it only from a dist path,
 * so it is imported here once: an upgrade that moves it is one edit.
 */
export type { GraphQLResolverMap };

/**
 * A resolver map typed by its subgraph's generated `Resolvers` (npm run codegen), which checks
 * it where it is written. It is not assignable to Apollo's type: that types every entry as a
 * field resolver (source, args, context, info), `__resolveReference` included, while
 * buildSubgraphSchema calls that one as (reference, context, info), as the generated types say.
 */
export type GeneratedResolverMap = Readonly<Record<string, object | undefined>>;

/**
 * What a subgraph hands buildSubgraphSchema: its map typed by its generated `Resolvers`. Every
 * subgraph's map is; the context parameter stays so a caller still names whose map it is.
 */
export type SubgraphResolverMap<_TContext> = GeneratedResolverMap;
