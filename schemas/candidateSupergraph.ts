import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentNode, parse } from 'graphql';
import { composeSubgraphs } from './composeSupergraph';
import { readSharedSdl, renderSharedBlocks, SHARED_SDL_DIR } from './sharedSdl';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs';

/** A directory's subgraph SDL files composed, or why they do not compose. */
export type CandidateSupergraph = { ok: true; supergraphSdl: string } | { ok: false; messages: string[] };

/**
 * Composes `<dir>/<name>.graphql` for every registered subgraph as `npm run compose` would:
 * the shared SDL blocks refreshed first (in memory, from `<dir>/shared/` when the directory has
 * one), and a hint not accepted in composeSupergraph.ts counted as a failure, since compose then
 * refuses to write the supergraph.
 */
export function composeCandidate(dir: string): CandidateSupergraph {
  const sharedDir = existsSync(join(dir, 'shared')) ? join(dir, 'shared') : SHARED_SDL_DIR;
  const messages: string[] = [];
  const typeDefs = new Map<SubgraphName, DocumentNode>();
  for (const name of SUBGRAPH_NAMES) {
    const path = join(dir, `${name}.graphql`);
    try {
      typeDefs.set(name, parse(renderSharedBlocks(readFileSync(path, 'utf8'), readSharedSdl(sharedDir), path)));
    } catch (error) {
      messages.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (messages.length > 0) return { ok: false, messages };
  const composed = composeSubgraphs((name) => typeDefs.get(name)!);
  if (!composed.ok) return { ok: false, messages: composed.errors };
  if (composed.unacceptedHints.length > 0) {
    return { ok: false, messages: composed.unacceptedHints.map((h) => `hint not accepted in schemas/composeSupergraph.ts: [${h.definition.code}] ${h.message}`) };
  }
  return { ok: true, supergraphSdl: composed.supergraphSdl };
}
