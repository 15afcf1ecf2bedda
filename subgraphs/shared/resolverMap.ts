/**
 * The resolver map type `buildSubgraphSchema` takes. Apollo exports it only from a dist path,
 * so it is imported here once: an upgrade that moves it is one edit.
 */
export type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
