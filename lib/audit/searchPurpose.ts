/**
 * Why a court's search was made, when not by an officer at the desk: the `purpose` claim of
 * a worker's court-officer token, carried into the audit record (DESIGN.md "The daily work").
 * `SWEEP`: the network search of every debtor of a new case; `FOLLOW_UP`: a scheduled search
 * after 终本. No purpose (null) is an officer's own request. The one list: the token's claim,
 * the audit record, the audit subgraph's `SearchPurpose` enum and `npm run token` all use it.
 */
export const SEARCH_PURPOSES = ['SWEEP', 'FOLLOW_UP'] as const;
export type SearchPurpose = (typeof SEARCH_PURPOSES)[number];
