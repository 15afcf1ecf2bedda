import type { PartyRef } from '../population';

/** An owner's identifier, whichever kind of party it is (an ID number and a credit code never share their 18 characters in practice). */
export function partyKey(party: PartyRef): string {
  return party.kind === 'PERSON' ? party.idNumber : party.creditCode;
}
