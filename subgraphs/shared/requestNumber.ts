import { randomUUID } from 'node:crypto';

/**
 * A new request number for one call to an agency: the SPC/CBRC spec (and the registries'
 * exchange rules) have every request carry its own, and agencies refuse one they have seen
 * before. 35 characters, upper case, prefixed CAG so the agency's log says who asked.
 */
export function newRequestNumber(): string {
  return `CAG${randomUUID().replaceAll('-', '').toUpperCase()}`;
}
