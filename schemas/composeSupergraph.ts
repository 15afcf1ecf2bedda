import { composeServices } from '@apollo/composition';
import type { DocumentNode } from 'graphql';

type CompositionHint = NonNullable<ReturnType<typeof composeServices>['hints']>[number];
import { loadSubgraphSdl } from './loadSubgraphSdl';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs';
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

/** A composition of every registered subgraph, or the errors that kept it from composing. */
export type Composition = ({ ok: true } & ComposedSupergraph) | { ok: false; errors: string[] };

/** Composes every registered subgraph from the SDL `typeDefsOf` gives for it, at its default URL. */
export function composeSubgraphs(typeDefsOf: (name: SubgraphName) => DocumentNode): Composition {
  const result = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: defaultSubgraphUrl(name), typeDefs: typeDefsOf(name) })));
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  const hints = result.hints;
  return { ok: true, supergraphSdl: result.supergraphSdl, hints, unacceptedHints: hints.filter((h) => !(h.definition.code in ACCEPTED_HINTS)) };
}

/** Composes the subgraph SDL files into the supergraph; throws with every error if it does not compose. */
export function composeSupergraph(): ComposedSupergraph {
  const composed = composeSubgraphs(loadSubgraphSdl);
  if (!composed.ok) throw new Error(`Composition failed:\n${composed.errors.map((e) => `- ${e}`).join('\n')}`);
  const { supergraphSdl, hints, unacceptedHints } = composed;
  return { supergraphSdl, hints, unacceptedHints };
}
