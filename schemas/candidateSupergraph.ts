import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { ACCEPTED_HINTS } from './composeSupergraph';
import { readSharedSdl, renderSharedBlocks, SHARED_SDL_DIR } from './sharedSdl';
import { SUBGRAPH_NAMES } from './subgraphs';
import { defaultSubgraphUrl } from './subgraphUrls';

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
  const services = SUBGRAPH_NAMES.flatMap((name) => {
    const path = join(dir, `${name}.graphql`);
    try {
      const sdl = renderSharedBlocks(readFileSync(path, 'utf8'), readSharedSdl(sharedDir), path);
      return [{ name, url: defaultSubgraphUrl(name), typeDefs: parse(sdl) }];
    } catch (error) {
      messages.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  });
  if (messages.length > 0) return { ok: false, messages };
  const result = composeServices(services);
  if (result.errors) return { ok: false, messages: result.errors.map((e) => e.message) };
  const unaccepted = result.hints.filter((h) => !(h.definition.code in ACCEPTED_HINTS));
  if (unaccepted.length > 0) return { ok: false, messages: unaccepted.map((h) => `hint not accepted in schemas/composeSupergraph.ts: [${h.definition.code}] ${h.message}`) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}
