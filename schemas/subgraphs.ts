/**
 * The subgraphs of the supergraph, each with the port it listens on by default (`npm start`,
 * `npm run subgraph`), as written into the supergraph and supergraph.yaml. Its SDL file is
 * `schemas/<name>.graphql`.
 *
 * This is the data half of the one subgraph registry. It lives in schemas/ because the
 * composition (the supergraph's URLs) and the gateway (`SUBGRAPH_URL_<NAME>`) read it, and
 * neither may import stack/; how each subgraph and its agency's emulators start is the other
 * half, in stack/agencies.ts, keyed by these names so the compiler asks for both.
 */
export const DEFAULT_SUBGRAPH_PORTS = {
  court: 4001,
  bank: 4002,
  realestate: 4003,
  vehicle: 4004,
  commerce: 4005,
  'social-insurance': 4006,
  audit: 4007,
} as const satisfies Record<string, number>;

export type SubgraphName = keyof typeof DEFAULT_SUBGRAPH_PORTS;

/** In the registry's order, which is also the supergraph's. */
export const SUBGRAPH_NAMES = Object.keys(DEFAULT_SUBGRAPH_PORTS) as readonly SubgraphName[];
