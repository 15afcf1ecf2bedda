import { z } from 'zod';
import { checkIdNumber, isCourtCode } from '../../schemas/identifiers';
import type { Caller, CourtRole } from '../context';
import { unauthenticated } from '../../lib/errors/unauthenticated';
import { SEARCH_PURPOSES } from '../../lib/audit/searchPurpose';

export const COURT_ROLES = ['query', 'control', 'supervise'] as const satisfies readonly CourtRole[];

/** An officer id: printable, no spaces, at most 64 characters (e.g. 浙0106-007). */
const OFFICER_ID = /^[^\s\p{C}]{1,64}$/u;

/**
 * A court officer's token: `{ sub: officerId, court: '浙0106', roles: ['query', ...] }`, and for
 * a worker's search `purpose` (SWEEP, FOLLOW_UP); without it, the officer's own request.
 */
export const officerClaimsSchema = z.object({
  sub: z.string({ error: 'must be the officer id' }).regex(OFFICER_ID, { error: 'must be the officer id (1-64 characters, no spaces)' }),
  court: z
    .string({ error: 'must be the court code, e.g. 浙0106' })
    .refine(isCourtCode, { error: 'must be a court code such as 浙0106' }),
  roles: z
    .array(z.enum(COURT_ROLES, { error: `must be one of ${COURT_ROLES.join(', ')}` }), { error: `must list the officer's roles (${COURT_ROLES.join(', ')})` })
    .min(1, { error: `must list at least one of ${COURT_ROLES.join(', ')}` })
    .transform((roles) => [...new Set(roles)]),
  purpose: z.enum(SEARCH_PURPOSES, { error: `must be one of ${SEARCH_PURPOSES.join(', ')}, or absent for an officer's own request` }).optional(),
  jti: z.string().optional(),
});

/** A citizen's token: `{ sub: idNumber, roles: ['citizen'] }`, and nothing of a court. */
export const citizenClaimsSchema = z.object({
  sub: z.string({ error: 'must be the citizen\'s ID number' }).transform((value, ctx) => {
    const checked = checkIdNumber(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  }),
  roles: z.tuple([z.literal('citizen')], { error: 'must be exactly ["citizen"] in a citizen token' }),
  court: z.never({ error: 'must be absent in a citizen token' }).optional(),
  // A citizen searches nobody: only a court's searches have a purpose.
  purpose: z.never({ error: 'must be absent in a citizen token' }).optional(),
  jti: z.string().optional(),
});

export type OfficerClaims = z.input<typeof officerClaimsSchema>;
export type CitizenClaims = z.input<typeof citizenClaimsSchema>;

/**
 * The caller a verified token's payload names. A token whose roles include `citizen` is read
 * as a citizen's, any other as a court officer's; claims that do not fit are refused with
 * BAD_CLAIMS and a sentence naming each bad claim.
 */
export function callerFromClaims(payload: Record<string, unknown>): Caller {
  const isCitizen = Array.isArray(payload.roles) && payload.roles.includes('citizen');
  if (isCitizen) {
    const claims = parseClaims(citizenClaimsSchema, payload, 'citizen');
    return withTokenId({ kind: 'citizen', idNumber: claims.sub }, claims.jti);
  }
  const claims = parseClaims(officerClaimsSchema, payload, 'court officer');
  const caller: Caller = { kind: 'court', court: claims.court, officer: claims.sub, roles: claims.roles, ...(claims.purpose ? { purpose: claims.purpose } : {}) };
  return withTokenId(caller, claims.jti);
}

function parseClaims<T extends z.ZodType>(schema: T, payload: unknown, whose: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `"${i.path.join('.')}" ${i.message.replace(/\.$/, '')}`).join('; ');
  throw unauthenticated('BAD_CLAIMS', `The ${whose} token's claims are not valid: ${issues}.`);
}

function withTokenId<T extends Caller>(caller: T, jti: string | undefined): T {
  return jti === undefined ? caller : { ...caller, tokenId: jti };
}
