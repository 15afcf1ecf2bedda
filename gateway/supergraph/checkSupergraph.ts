import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Supergraph } from '@apollo/federation-internals';
import { type AccessRules, readAccessRules } from '../authorization/accessRules';

/** A supergraph file that reads, builds and keeps the access rules: what the gateway may serve. */
export interface CheckedSupergraph {
  /** sha256 hex of the file's text. */
  id: string;
  rules: AccessRules;
  /** The supergraph without the authorization features, for Apollo Gateway (accessRules.ts). */
  executableSdl: string;
  subgraphNames: ReadonlySet<string>;
}

/**
 * Reads a supergraph's text and checks it can be served: its access rules read, it builds and
 * validates as a Federation 2 supergraph, and, against the one served now (`current`), it keeps
 * every access rule of it as it is. A supergraph that drops or changes a rule, or that brings
 * rules to a gateway started without any, needs a restart (a deliberate act), not a file
 * change. Throws an Error saying why.
 */
export function checkSupergraph(text: string, current?: CheckedSupergraph): CheckedSupergraph {
  const { rules, executableSdl } = readAccessRules(text);
  const supergraph = Supergraph.build(executableSdl, { validateSupergraph: true });
  const checked = { id: createHash('sha256').update(text).digest('hex'), rules, executableSdl, subgraphNames: new Set(supergraph.subgraphs().names()) };
  if (current) {
    if ((current.rules.size === 0) !== (rules.size === 0)) throw new Error('it has access rules where the served supergraph has none (or none where it has some): restart the gateway to change that');
    const dropped = [...current.rules].filter(([coordinate, access]) => !isDeepStrictEqual(rules.get(coordinate), access)).map(([coordinate]) => coordinate);
    if (dropped.length > 0) throw new Error(`it drops or changes the access rules of ${dropped.slice(0, 5).join(', ')}${dropped.length > 5 ? ` and ${dropped.length - 5} more` : ''}`);
  }
  return checked;
}
