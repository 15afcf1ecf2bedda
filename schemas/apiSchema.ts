import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphName } from './subgraphs';

/**
 * The two readings of a supergraph the schema check compares: the API schema (what courts see
 * and validate against: no join/link, no federation internals) and each subgraph's part of it,
 * split back out by federation's own extraction.
 */
export interface SupergraphReadings {
  api: GraphQLSchema;
  subgraphs: ReadonlyMap<SubgraphName, GraphQLSchema>;
}

export function readSupergraph(supergraphSdl: string): SupergraphReadings {
  // The authorization features (@authenticated, @requiresScopes, @policy) are enforced by the
  // gateway, not by federation-internals, which refuses them by default; reading the shape needs none.
  const supergraph = Supergraph.build(supergraphSdl, { supportedFeatures: null });
  const extracted = supergraph.subgraphs();
  return {
    api: supergraph.apiSchema().toGraphQLJSSchema(),
    subgraphs: new Map(extracted.names().map((name) => [name as SubgraphName, extracted.get(name)!.schema.toGraphQLJSSchema()])),
  };
}
