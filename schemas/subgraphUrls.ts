import { DEFAULT_SUBGRAPH_PORTS, type SubgraphName } from './subgraphs';

/**
 * The URL the supergraph and supergraph.yaml write for a subgraph: its default port on this
 * machine. Deployments override it (see gateway/config.ts).
 */
export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;
}
