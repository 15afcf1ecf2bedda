import { createHash } from 'node:crypto';
import { z } from 'zod';
import { REFUSAL_CODES } from '../errors/catalog';
import { SEARCH_PURPOSES, type SearchPurpose } from './searchPurpose';

/**
 * One audit record: a request's final record (what the gateway answered, allowed or refused),
 * or its intent (written before its first call to a subgraph or agency). The shape is fixed by
 * the canonical form below; a stored record's hash covers every field of it.
 */

/**
 * What a record says of its request. `INTENT`: the request is about to call out (the case
 * lookup or a subgraph), nothing has been answered yet; its final record, one of the other
 * four, follows under the same `requestId`. An intent is told apart by this value alone, so
 * the canonical form (and every stored hash) is the same as before intents existed.
 */
export const AUDIT_OUTCOMES = ['ANSWERED', 'PARTIAL', 'REFUSED', 'FAILED', 'INTENT'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
/** The outcome of a final record: what became of the request. */
export type FinalOutcome = Exclude<AuditOutcome, 'INTENT'>;

/**
 * A final record's outcome from what was answered: data or none, and the answer's error codes.
 * "Refused" (the client's doing) rather than "failed" is the error catalog's `kind: 'refusal'`.
 */
export function outcomeOf(hasData: boolean, errorCodes: readonly string[]): FinalOutcome {
  if (errorCodes.length === 0) return 'ANSWERED';
  if (hasData) return 'PARTIAL';
  return errorCodes.every((code) => REFUSAL_CODES.has(code)) ? 'REFUSED' : 'FAILED';
}

/**
 * `anonymous`: no verified identity (missing, expired or forged token) — the refusal is
 * audited all the same, without claims nobody verified.
 */
export const AUDIT_CALLER_KINDS = ['court', 'supervisor-as-court', 'citizen', 'anonymous'] as const;
export type AuditCallerKind = (typeof AUDIT_CALLER_KINDS)[number];

/** Who asked, as the gateway knows it from the verified token. */
export type AuditCallerInput =
  | { kind: 'court' | 'supervisor-as-court'; court: string; officer: string }
  | { kind: 'citizen'; idNumber: string }
  | { kind: 'anonymous' };

/** The caller as stored: one column per field, null where the kind has none. */
export interface AuditCaller {
  kind: AuditCallerKind;
  court: string | null;
  officer: string | null;
  idNumber: string | null;
}

/** What the gateway hands to `AuditWriter.append` (auditWriter.ts). */
export interface AuditRecordInput {
  /** ISO 8601 with `Z` or an offset; stored to the millisecond. */
  at: string;
  requestId: string;
  caller: AuditCallerInput;
  caseNumber: string | null;
  /** ID numbers and credit codes the operation reached at the root. */
  subjects: readonly string[];
  /** Anonymous operations: null. Longer than 256 characters: cut (the hash names the text). */
  operationName: string | null;
  /** `operationHash(queryText)`. */
  operationHash: string;
  /** `Type.field` coordinates reached, e.g. `Person.vehicles`. */
  fields: readonly string[];
  /** Subgraph names reached. */
  agencies: readonly string[];
  outcome: AuditOutcome;
  errorCodes: readonly string[];
  /** Rounded to whole milliseconds. */
  latencyMs: number;
  /** Why the search was made (the token's `purpose` claim); null or absent: an officer's own request. @default null */
  purpose?: SearchPurpose | null;
}

/** A record after `normaliseAuditRecord`: exactly what is stored and hashed. */
export interface AuditRecord {
  at: string;
  requestId: string;
  caller: AuditCaller;
  caseNumber: string | null;
  subjects: string[];
  operationName: string | null;
  operationHash: string;
  fields: string[];
  agencies: string[];
  outcome: AuditOutcome;
  errorCodes: string[];
  latencyMs: number;
  purpose: SearchPurpose | null;
}

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

const MAX_OPERATION_NAME = 256;

/** Text PostgreSQL stores and returns unchanged: no NUL, no lone surrogate. */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000') && !/\p{Surrogate}/u.test(s), 'must be well-formed text without NUL');

const textSet = (max: number) => z.array(text(max)).max(10_000);

const callerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['court', 'supervisor-as-court']), court: text(64), officer: text(64) }),
  z.object({ kind: z.literal('citizen'), idNumber: text(64) }),
  z.object({ kind: z.literal('anonymous') }),
]);

const inputSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  requestId: text(200),
  caller: callerSchema,
  caseNumber: text(200).nullable(),
  subjects: textSet(64),
  operationName: z.string().min(1).nullable(),
  operationHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest'),
  fields: textSet(200),
  agencies: textSet(64),
  outcome: z.enum(AUDIT_OUTCOMES),
  errorCodes: textSet(100),
  latencyMs: z.number().finite().min(0).max(2_147_483_647),
  purpose: z.enum(SEARCH_PURPOSES).nullable().optional(),
}).refine((r) => r.purpose == null || r.caller.kind === 'court' || r.caller.kind === 'supervisor-as-court', {
  // Only a court officer's token carries a purpose (gateway/auth/claims.ts).
  path: ['purpose'],
  message: 'must be null unless a court asked',
});

/** Sorted by UTF-16 code units (never the locale) and without duplicates. */
function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Validates a record and puts it in its one stored form: time as `YYYY-MM-DDTHH:mm:ss.sssZ`,
 * whole milliseconds, sets sorted and deduplicated. Invalid input is a programmer error and
 * throws an `Error` naming the fields.
 */
export function normaliseAuditRecord(input: AuditRecordInput): AuditRecord {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid audit record: ${issues}`);
  }
  const r = parsed.data;
  const at = new Date(r.at).toISOString();
  const caller: AuditCaller =
    r.caller.kind === 'citizen'
      ? { kind: 'citizen', court: null, officer: null, idNumber: r.caller.idNumber }
      : r.caller.kind === 'anonymous'
        ? { kind: 'anonymous', court: null, officer: null, idNumber: null }
        : { kind: r.caller.kind, court: r.caller.court, officer: r.caller.officer, idNumber: null };
  return {
    at,
    requestId: r.requestId,
    caller,
    caseNumber: r.caseNumber,
    subjects: sortedSet(r.subjects),
    operationName: r.operationName === null ? null : cutOperationName(r.operationName),
    operationHash: r.operationHash,
    fields: sortedSet(r.fields),
    agencies: sortedSet(r.agencies),
    outcome: r.outcome,
    errorCodes: sortedSet(r.errorCodes),
    latencyMs: Math.round(r.latencyMs),
    purpose: r.purpose ?? null,
  };
}

function cutOperationName(name: string): string {
  const codePoints = [...name];
  const cut = codePoints.length > MAX_OPERATION_NAME ? codePoints.slice(0, MAX_OPERATION_NAME).join('') : name;
  // Names come from clients: keep only what the database stores unchanged.
  return cut.replace(/\u0000/g, '\uFFFD').replace(/\p{Surrogate}/gu, '\uFFFD');
}

/**
 * The bytes a record's hash covers: JSON with a fixed key order and a format version, every
 * stored field present (null where empty), strings and whole numbers only. Takes the record
 * as stored — it does not normalise, so any change to a stored field changes this text.
 * `purpose` came later: it is the last key and only there when set, so a record without one
 * has the very text (and hash) it had before purposes existed.
 */
export function canonicalAuditRecord(record: AuditRecord): string {
  return JSON.stringify({
    v: 1,
    at: record.at,
    requestId: record.requestId,
    caller: {
      kind: record.caller.kind,
      court: record.caller.court,
      officer: record.caller.officer,
      idNumber: record.caller.idNumber,
    },
    caseNumber: record.caseNumber,
    subjects: record.subjects,
    operationName: record.operationName,
    operationHash: record.operationHash,
    fields: record.fields,
    agencies: record.agencies,
    outcome: record.outcome,
    errorCodes: record.errorCodes,
    latencyMs: record.latencyMs,
    ...(record.purpose === null ? {} : { purpose: record.purpose }),
  });
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A record's hash: sha256 over the previous record's hash followed by its canonical text. */
export function chainHash(prevHash: string, canonical: string): string {
  return sha256Hex(prevHash + canonical);
}

/** sha256 hex of an operation's query text, as the audit names the operation. */
export function operationHash(queryText: string): string {
  return sha256Hex(queryText);
}
