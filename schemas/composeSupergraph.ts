import { composeServices } from '@apollo/composition';

type CompositionHint = NonNullable<ReturnType<typeof composeServices>['hints']>[number];
import { loadSubgraphSdl } from './loadSubgraphSdl';
import { SUBGRAPH_NAMES } from './subgraphs';
import { defaultSubgraphUrl } from './subgraphUrls';

/**
 * Composition hints we accept on purpose, by hint code, each with the reason. Any other
 * hint fails `npm run compose` and the composition test, so a schema change that makes
 * the graph ambiguous is seen at review time, not in production.
 */
export const ACCEPTED_HINTS: Record<string, string> = {};

export interface ComposedSupergraph {
  supergraphSdl: string;
  hints: CompositionHint[];
  unacceptedHints: CompositionHint[];
}

/** Composes the subgraph SDL files into the supergraph; throws with every error if it does not compose. */
export function composeSupergraph(): ComposedSupergraph {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: defaultSubgraphUrl(name), typeDefs: loadSubgraphSdl(name) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const hints = result.hints;
  return {
    supergraphSdl: result.supergraphSdl,
    hints,
    unacceptedHints: hints.filter((h) => !(h.definition.code in ACCEPTED_HINTS)),
  };
}
