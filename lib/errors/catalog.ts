/**
 * Every `extensions.code` the graph can answer, with its reasons: the contract with court
 * software, kept in one place (Apollo Federation's `makeCodeDefinition` style) so gateway and
 * subgraphs build each error one way, the audit tells "refused" from "failed" by `kind`, and the
 * README's tables are generated from it (`npm run docs:errors`; test/composition/errorCatalog.test.ts
 * holds all three to it).
 */

/**
 * - `refusal`: the request (or one field of it) was refused for the caller's doing; an answer
 *   with only refusals and no data is audited `REFUSED`.
 * - `failure`: the graph could not answer (its own fault or a store's); audited `FAILED`.
 * - `partial`: one agency's fields failed, the rest of the answer stands; with no data left, `FAILED`.
 */
export type ErrorKind = 'refusal' | 'failure' | 'partial';

/** Who answers the code: the README says so, and a reader knows where to look. */
export type ErrorSource = 'gateway' | 'subgraph' | 'gateway, subgraph' | 'HTTP edge' | 'Apollo Server';

export interface CodeDefinition {
  readonly description: string;
  readonly kind: ErrorKind;
  /** The HTTP status the code sets when it refuses the whole request; a field's error leaves the status alone. */
  readonly httpStatus?: number;
  readonly source: ErrorSource;
  /** The extension beside `code` that says why (`reason`, or `limit` for a query limit). */
  readonly reasonField?: 'reason' | 'limit';
  readonly reasons?: Readonly<Record<string, string>>;
}

/** Why a token was refused. */
export const UNAUTHENTICATED_REASONS = {
  NO_TOKEN: 'The request carries no token.',
  MALFORMED: 'The Authorization header or the token in it is not well-formed.',
  BAD_SIGNATURE: 'The signature does not verify against a key the issuer publishes, or uses an algorithm the gateway does not accept.',
  EXPIRED: 'The token has expired.',
  WRONG_ISSUER: 'The token was issued by an issuer this gateway does not trust.',
  WRONG_AUDIENCE: 'The token is meant for another audience.',
  BAD_CLAIMS: 'The token lacks a required claim or its claims are not valid.',
  DEVELOPMENT_KEY: 'The token is signed with the development key, which production refuses.',
  BAD_READINESS_TOKEN: "The gateway's `/readyz` was asked for its detail with another token than its readiness token.",
} as const;
export type UnauthenticatedReason = keyof typeof UNAUTHENTICATED_REASONS;

/** Why an authenticated caller was refused (`FORBIDDEN`). */
export const FORBIDDEN_REASONS = {
  MISSING_ROLE: "The caller's roles do not include one the field requires.",
  CASE_REQUIRED: 'The operation reaches a person or company but names no case (x-case-number header).',
  CASE_NOT_FOUND: 'No court has the case the request names.',
  WRONG_COURT: "The case belongs to another court than the caller's.",
  CASE_NOT_ACTIVE: 'The case is suspended or closed.',
  NOT_A_DEBTOR: 'A person or company the operation reaches is not a debtor of the case.',
  WRONG_CASE: 'The operation names another case than the one it states.',
  OTHER_COURT_DOCKET: "Only the caller's own court's docket (or requests) may be listed.",
  NOT_A_COURT: 'The field is for court officers; the caller is a citizen.',
  NOT_A_PARTY: 'The caller is not an applicant of the case the view is about.',
  NOT_A_CITIZEN: 'Only a citizen can ask who looked at them.',
  NOT_SIGNED_FOR_MUTATION: "A subgraph was sent a mutation under the gateway's signature of a read.",
  SIGNED_FOR_ANOTHER_REQUEST: "A subgraph was sent a mutation under the gateway's signature of another query or other variables.",
} as const;
export type ForbiddenReason = keyof typeof FORBIDDEN_REASONS;

/** Why an identifier, money amount, date or the case header was refused (`BAD_USER_INPUT`, with `scalar`). */
export const BAD_USER_INPUT_REASONS = {
  TYPE: 'The value is not a string (or not of the type the scalar takes).',
  LENGTH: 'The value has the wrong number of characters.',
  ALPHABET: 'The value holds a character its standard does not allow.',
  STRUCTURE: 'The value is not laid out as its standard says (a region, a year, a case kind, a decimal).',
  DATE: 'The date in the value, or the value as a date, does not exist.',
  CHECK_CHARACTER: 'The check character does not match the rest of the value.',
  RANGE: 'The value is out of the range the graph accepts.',
} as const;
export type BadUserInputReason = keyof typeof BAD_USER_INPUT_REASONS;

/** Which query limit refused an operation (`GRAPHQL_VALIDATION_FAILED`, in `extensions.limit`). */
export const QUERY_LIMITS = {
  DEPTH: 'The operation nests its fields too deeply.',
  COST: 'The operation asks too much (its cost, or its selections as written; fewer for a request without a verified caller).',
  ALIASES: 'The operation uses too many aliases.',
  TOKENS: 'The document is too long (too many tokens to parse).',
  DIRECTIVES: 'The operation uses too many directives.',
} as const;
export type QueryLimit = keyof typeof QUERY_LIMITS;

/**
 * Why a subgraph refused the gateway's signature. A subgraph answers these as `UNAUTHENTICATED`
 * (401) with no `reason` (only the gateway calls a subgraph: its operators read the message and
 * the subgraph's log), so they are not in the README's reasons.
 */
export const GATEWAY_SIGNATURE_FAILURES = {
  MISSING: 'The request carries no x-gateway-signature.',
  MALFORMED: 'The x-gateway-signature is not a well-formed JWT.',
  BAD_SIGNATURE: 'The x-gateway-signature does not verify with the shared secret.',
  EXPIRED: 'The x-gateway-signature has expired.',
  BAD_CLAIMS: 'The x-gateway-signature lacks a claim or its claims are not valid.',
} as const;
export type GatewaySignatureFailure = keyof typeof GATEWAY_SIGNATURE_FAILURES;

export const ERROR_CODES = {
  UNAUTHENTICATED: {
    description: 'No verified caller: the token is missing or refused.',
    kind: 'refusal', httpStatus: 401, source: 'gateway, subgraph', reasonField: 'reason', reasons: UNAUTHENTICATED_REASONS,
  },
  FORBIDDEN: {
    description: 'The caller may not ask this: the whole request (403) or, for one field, that field (`null`, the rest stands).',
    kind: 'refusal', httpStatus: 403, source: 'gateway, subgraph', reasonField: 'reason', reasons: FORBIDDEN_REASONS,
  },
  BAD_USER_INPUT: {
    description: 'An argument, input field or the case header is not a valid value; it names the `argument` or `field`, and for a scalar the `scalar` and a `reason`.',
    kind: 'refusal', httpStatus: 400, source: 'gateway, subgraph', reasonField: 'reason', reasons: BAD_USER_INPUT_REASONS,
  },
  GRAPHQL_VALIDATION_FAILED: {
    description: 'The operation is not valid against the schema, or a query limit refused it (`extensions.limit`, never the configured number).',
    kind: 'refusal', httpStatus: 400, source: 'gateway', reasonField: 'limit', reasons: QUERY_LIMITS,
  },
  GRAPHQL_PARSE_FAILED: { description: 'The document is not GraphQL.', kind: 'refusal', httpStatus: 400, source: 'Apollo Server' },
  PERSISTED_QUERY_NOT_FOUND: {
    description: 'An automatic persisted query the gateway does not hold yet: send the query with its hash.',
    kind: 'refusal', httpStatus: 200, source: 'Apollo Server',
  },
  BAD_REQUEST: {
    description: 'Not a GraphQL request: malformed JSON, a body that is not one JSON object or not `application/json`, a request CSRF prevention blocks; 405 for another method than GET and POST, or a mutation sent as GET; 415 for a charset or content encoding the server cannot read.',
    kind: 'refusal', httpStatus: 400, source: 'HTTP edge',
  },
  PAYLOAD_TOO_LARGE: { description: 'The request body is over 1 MB.', kind: 'refusal', httpStatus: 413, source: 'HTTP edge' },
  BATCH_NOT_SUPPORTED: { description: 'A JSON array of operations (batching is refused).', kind: 'refusal', httpStatus: 400, source: 'HTTP edge' },
  OPERATION_NOT_FOUND: {
    description: 'An empty `operationName`, one the document lacks, or several operations and none named.',
    kind: 'refusal', httpStatus: 400, source: 'gateway',
  },
  SUBSCRIPTION_NOT_SUPPORTED: { description: 'A subscription: send a query or a mutation.', kind: 'refusal', httpStatus: 400, source: 'gateway' },
  UNTRUSTED_DOCUMENT: {
    description: 'The document (its text, or the `persistedQuery` hash sent instead) is not in the trusted documents manifest the gateway enforces; nothing of it ran.',
    kind: 'refusal', httpStatus: 400, source: 'gateway',
  },
  RATE_LIMITED: {
    description: "The court's request budget, or the address's for a request without a verified caller, is spent; `retryAfter` and the `retry-after` header say when to try again.",
    kind: 'refusal', httpStatus: 429, source: 'gateway',
  },
  AGENCY_UNAVAILABLE: {
    description: 'The agency could not be reached, answered with a server error, or is not called while its circuit breaker is open (`breaker: "open"`); the court case system unreachable while the gateway checks the case fails the whole request (503).',
    kind: 'partial', source: 'gateway, subgraph',
  },
  AGENCY_TIMEOUT: { description: 'The agency did not answer within its time limit.', kind: 'partial', source: 'subgraph' },
  AGENCY_BAD_RESPONSE: {
    description: 'The agency answered something that is not a valid answer (not JSON, wrong shape, cut off).',
    kind: 'partial', source: 'subgraph',
  },
  AGENCY_REFUSED: { description: 'The agency refused the request and said why.', kind: 'partial', source: 'subgraph' },
  // Audited as a failure, as before the catalog: the provider, not the caller, cannot do the act.
  CAPABILITY_UNAVAILABLE: {
    description: 'The provider cannot do this act online (see `banks { capabilities }`); nothing was sent.',
    kind: 'failure', source: 'subgraph',
  },
  // Audited as a failure, as before the catalog; through the gateway the case check answers first (CASE_NOT_FOUND).
  NOT_FOUND: { description: 'The court case system does not know the case asked for.', kind: 'failure', source: 'subgraph' },
  AUTHENTICATION_UNAVAILABLE: {
    description: "The token issuer's keys could not be loaded; nothing is answered (fail closed).",
    kind: 'failure', httpStatus: 503, source: 'gateway',
  },
  AUDIT_UNAVAILABLE: {
    description: 'The audit record could not be written; nothing is answered (fail closed).',
    kind: 'failure', httpStatus: 503, source: 'gateway',
  },
  INTERNAL_SERVER_ERROR: {
    description: 'A failure of the server itself (or a subgraph the gateway could not read); no detail leaves.',
    kind: 'failure', httpStatus: 500, source: 'gateway, subgraph',
  },
} as const satisfies Record<string, CodeDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose answer (with no data) the audit records as `REFUSED`: derived from `kind`. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(
  (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].kind === 'refusal'),
);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * Why a control act was refused as data (`refusal.code` of a measure payload, nothing
 * recorded): the SDL's `MeasureRefusalCode`, whose descriptions these are (the test holds them equal).
 */
export const MEASURE_REFUSAL_CODES = {
  TERM_TOO_LONG: 'The term asked is longer than the law allows for the asset kind (see `limitDays`).',
  DOCUMENT_NUMBER_REQUIRED: 'No ruling / assistance notice number was given.',
  OVER_SEIZURE: 'The funds controlled for the case would exceed what the case still has outstanding (see `limit`).',
  EXCEEDS_LIVING_ALLOWANCE: 'Withholding would leave the debtor less than the local subsistence minimum each month (see `limit`).',
  REQUEST_ID_REUSED: 'The request id was used before for a different request.',
  NOT_YOUR_MEASURE: 'The measure was placed by another court or case; only that case may renew, release or deduct it.',
  NOT_ACTIVE: 'The measure is not in a state that allows the act (e.g. renewing one that is WAITING).',
  TERM_EXPIRED: "The measure's term has ended; it lapsed and can no longer be renewed.",
  NOT_FROZEN_BY_CASE: 'Only funds the deducting case froze itself can be deducted.',
  INSUFFICIENT_FROZEN: 'More was asked than the freeze holds undeducted (see `limit`).',
  MEASURE_NOT_FOUND: 'No measure with that id at this agency.',
  ASSET_NOT_FOUND: 'The agency holds no such asset.',
  FOREIGN_CURRENCY: 'The asset is held in a currency other than yuan, which the limits are counted in (deposits: freeze at the bank\'s counter).',
  NOTHING_TO_FREEZE: 'The account holds nothing a freeze could take (no available balance, none of it held by other freezes): an online freeze would control nothing.',
} as const;
export type MeasureRefusalCode = keyof typeof MEASURE_REFUSAL_CODES;
