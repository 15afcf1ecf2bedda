/**
 * `npm run token`: prints a DEVELOPMENT token signed with the committed development key
 * (gateway/auth/dev/), which a gateway outside production accepts and production refuses.
 *
 *   npm run -s token -- --court 浙0106 --officer 浙0106-007 --role query [--role control] [--purpose SWEEP] [--ttl 8h]
 *   npm run -s token -- --citizen 330106199001011234 [--ttl 1h]
 *
 * The token alone goes to stdout (so `TOKEN=$(npm run -s token -- ...)` works); what it
 * grants goes to stderr. TOKEN_ISSUER / TOKEN_AUDIENCE, when set, are written into it.
 */
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { loadAuthConfig } from '../gateway/auth/authConfig';
import { SEARCH_PURPOSES, type SearchPurpose } from '../lib/audit/searchPurpose';
import { COURT_ROLES } from '../gateway/auth/claims';
import { DEV_TOKEN_TTL_SECONDS, type DevTokenSubject, issueDevToken } from '../gateway/auth/devIssuer';
import type { CourtRole } from '../gateway/context';

const USAGE = `usage:
  npm run -s token -- --court <court code> --officer <officer id> --role <${COURT_ROLES.join('|')}> [--role ...] [--purpose <${SEARCH_PURPOSES.join('|')}>] [--ttl 8h]
  npm run -s token -- --citizen <ID number> [--ttl 8h]
--purpose: the token of a search service (a sweep or a follow-up search), recorded in the audit; without it, an officer's own requests.`;

/** At most a week: a development token is for a laptop, not for keeps. */
const MAX_TTL_SECONDS = 7 * 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function ttlSeconds(raw: string | undefined): number {
  if (raw === undefined) return DEV_TOKEN_TTL_SECONDS;
  const match = /^(\d+)([smhd])$/.exec(raw);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!]! : NaN;
  if (!(seconds > 0 && seconds <= MAX_TTL_SECONDS)) fail(`--ttl must be a duration such as 30m, 8h or 2d, at most 7d; got ${raw}`);
  return seconds;
}

function subjectOf(values: { court?: string; officer?: string; role?: string[]; purpose?: string; citizen?: string }): DevTokenSubject {
  if (values.citizen !== undefined) {
    if (values.court !== undefined || values.officer !== undefined || values.role !== undefined || values.purpose !== undefined) {
      fail('--citizen takes no --court, --officer, --role or --purpose');
    }
    return { kind: 'citizen', idNumber: values.citizen };
  }
  if (values.court === undefined || values.officer === undefined || values.role === undefined) fail('a court officer\'s token needs --court, --officer and at least one --role');
  // An unknown purpose is left to the gateway's own claims check, which names it (BAD_CLAIMS).
  const purpose = values.purpose === undefined ? {} : { purpose: values.purpose as SearchPurpose };
  return { kind: 'court', court: values.court, officer: values.officer, roles: values.role as CourtRole[], ...purpose };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        court: { type: 'string' },
        officer: { type: 'string' },
        role: { type: 'string', multiple: true },
        purpose: { type: 'string' },
        citizen: { type: 'string' },
        ttl: { type: 'string' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const subject = subjectOf(values);
  const ttl = ttlSeconds(values.ttl);
  // The development gateway's own settings, so the token matches what it expects.
  const { issuer, audience } = loadAuthConfig({ ...process.env, NODE_ENV: 'development' });
  let token: string;
  try {
    token = await issueDevToken(subject, { ttlSeconds: ttl, issuer, audience });
  } catch (error) {
    if (error instanceof GraphQLError) fail(error.message);
    throw error;
  }
  const who =
    subject.kind === 'court'
      ? `officer ${subject.officer} of court ${subject.court}, roles ${subject.roles.join(', ')}${subject.purpose ? `, purpose ${subject.purpose}` : ''}`
      : `citizen ${subject.idNumber}`;
  console.error(`DEVELOPMENT token for ${who}; expires ${new Date(Date.now() + ttl * 1000).toISOString()}; production refuses it.`);
  console.error('Send it as: Authorization: Bearer <token>');
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(`npm run token failed: ${(error as Error).message}`);
  process.exit(1);
});
