import type { SubgraphName } from './loadSubgraphSdl';

/**
 * Where each subgraph listens by default (`npm start`), as written into the supergraph and
 * supergraph.yaml. Deployments override them (see gateway/config.ts).
 */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  court: 4001,
  bank: 4002,
  realestate: 4003,
  vehicle: 4004,
  commerce: 4005,
  'social-insurance': 4006,
  audit: 4007,
};

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;
}
