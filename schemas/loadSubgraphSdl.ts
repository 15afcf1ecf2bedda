import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentNode, parse } from 'graphql';
import type { SubgraphName } from './subgraphs';

/** The SDL file is the one source of a subgraph's schema: subgraphs, composition and tests all read it here. */
export function subgraphSdlPath(name: SubgraphName): string {
  return join(__dirname, `${name}.graphql`);
}

export function loadSubgraphSdl(name: SubgraphName): DocumentNode {
  const path = subgraphSdlPath(name);
  return parse(readFileSync(path, 'utf8'), { noLocation: false });
}

export const SUPERGRAPH_PATH = join(__dirname, 'supergraph.graphql');
