import type { AuditEntry } from '../../lib/audit/auditReader';
import { COURT_LIMITS, type CourtClient } from '../court/client';
import type { EnforcementCase } from '../court/types';
import type { Resolvers } from './generated/resolvers';
import type { MeasuresTakenLoader } from './measuresTaken';
import { accessDenied } from '../../lib/errors/accessDenied';

/** The field a case's dossier reaches its debtors through, without naming them at the root. */
export const DEBTORS_FIELD = 'EnforcementCase.debtors';

const CALLER_KIND = { court: 'COURT', 'supervisor-as-court': 'SUPERVISOR', citizen: 'CITIZEN', anonymous: 'ANONYMOUS' } as const;

/** China Standard Time: the courts' calendar days. */
const CST = '+08:00';

export function accessRecord(entry: AuditEntry) {
  return {
    requestId: entry.requestId,
    at: entry.at,
    callerKind: CALLER_KIND[entry.caller.kind],
    court: entry.caller.court,
    officer: entry.caller.officer,
    caseNumber: entry.caseNumber,
    operationName: entry.operationName,
    fields: entry.fields,
    agencies: entry.agencies,
    // One entry per request (AuditReader): UNFINISHED is an intent with no final record, an access all the same.
    outcome: entry.outcome,
    errorCodes: entry.errorCodes,
    purpose: entry.purpose,
  };
}

/** Cases by number from the court case system, in batches it accepts. */
export async function casesByNumber(court: CourtClient, numbers: Iterable<string>): Promise<Map<string, EnforcementCase>> {
  const all = [...new Set(numbers)];
  const found = new Map<string, EnforcementCase>();
  for (let i = 0; i < all.length; i += COURT_LIMITS.caseBatch) {
    for (const [n, c] of await court.casesByNumber(all.slice(i, i + COURT_LIMITS.caseBatch))) found.set(n, c);
  }
  return found;
}

/**
 * Whether a citizen may see a record now. A record stating an open case (active or
 * suspended) stays hidden, so the debtor cannot move assets first, until a measure of that
 * case took effect against the citizen (`revealed`, see casesRevealedByMeasures); a closed
 * case's records show.
 */
export function visibleToCitizen(entry: AuditEntry, cases: ReadonlyMap<string, EnforcementCase>, revealed: ReadonlySet<string>): boolean {
  if (entry.caseNumber === null) return true;
  const kase = cases.get(entry.caseNumber);
  return kase === undefined || kase.status === 'CLOSED' || revealed.has(entry.caseNumber);
}

/**
 * The open cases the records state in which a control measure on an asset of `citizen`
 * has taken effect. Only cases still hidden are asked about, each once, whatever the number
 * of records stating it.
 */
export async function casesRevealedByMeasures(
  citizen: string,
  entries: readonly AuditEntry[],
  cases: ReadonlyMap<string, EnforcementCase>,
  measuresTaken: MeasuresTakenLoader,
): Promise<Set<string>> {
  const open = [...new Set(entries.flatMap((e) => (e.caseNumber === null ? [] : [e.caseNumber])))].filter((n) => {
    const status = cases.get(n)?.status;
    return status !== undefined && status !== 'CLOSED';
  });
  const parties = await Promise.all(open.map((n) => measuresTaken.load(n)));
  return new Set(open.filter((_, i) => parties[i]!.has(citizen)));
}

/** The calendar day of a time in China Standard Time, YYYY-MM-DD. */
function cstDay(at: string): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export type OutlierReason = 'NO_CASE' | 'CASE_NOT_FOUND' | 'OTHER_COURT_CASE' | 'CASE_NOT_ACTIVE' | 'NOT_A_DEBTOR';

/**
 * Why a record of `court` looked beyond the debtors of its active cases; empty if it did
 * not. Only records naming subjects at the root are judged. "Active at the time": ACTIVE
 * now, or CLOSED on a day after the request (the case system keeps no history of
 * suspensions, so a suspended case counts as not active).
 */
export function outlierReasons(entry: AuditEntry, court: string, cases: ReadonlyMap<string, EnforcementCase>): OutlierReason[] {
  if (entry.subjects.length === 0) return [];
  if (entry.caseNumber === null) return ['NO_CASE'];
  const kase = cases.get(entry.caseNumber);
  if (kase === undefined) return ['CASE_NOT_FOUND'];
  const reasons: OutlierReason[] = [];
  if (kase.courtCode !== court) reasons.push('OTHER_COURT_CASE');
  const activeThen = kase.status === 'ACTIVE' || (kase.status === 'CLOSED' && kase.closedOn !== null && kase.closedOn > cstDay(entry.at));
  if (!activeThen) reasons.push('CASE_NOT_ACTIVE');
  const debtors = new Set(kase.debtors.map((p) => (p.__typename === 'Person' ? p.idNumber : p.creditCode)));
  if (entry.subjects.some((s) => !debtors.has(s))) reasons.push('NOT_A_DEBTOR');
  return reasons;
}

function byCountThenName<T extends { count: number }>(key: (t: T) => string) {
  return (a: T, b: T) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// Typed against the SDL (npm run codegen).
export const resolvers: Resolvers = {
  Query: {
    accessLog: async (_, __, { log, court, measuresTaken, signed }) => {
      // Identity from the gateway's verified signature only, never from an argument.
      const citizen = signed.citizen;
      if (!citizen) throw accessDenied('NOT_A_CITIZEN', 'Only a citizen can ask who looked at them.');
      const audit = await log();
      const ownCases = ((await court.casesOfParties([citizen])).get(citizen) ?? []).filter((r) => r.role === 'DEBTOR').map((r) => r.caseNumber);
      const [named, inCases] = await Promise.all([audit.accessesOf(citizen), audit.accessesInCases(ownCases, [DEBTORS_FIELD])]);
      const entries = [...new Map([...named, ...inCases].map((e) => [e.id, e])).values()].sort((a, b) => b.id - a.id).slice(0, 1000);
      const cases = await casesByNumber(court, entries.flatMap((e) => (e.caseNumber === null ? [] : [e.caseNumber])));
      const revealed = await casesRevealedByMeasures(citizen, entries, cases, measuresTaken);
      return entries.filter((e) => visibleToCitizen(e, cases, revealed)).map(accessRecord);
    },
    auditReview: async (_, args, { log, court, signed: claims }) => {
      // The gateway checked the role and @policy(own_court); the signature says the same.
      const signed = claims.court;
      if (signed !== args.court) throw accessDenied('OTHER_COURT_DOCKET', `A court may review only its own requests, not those of ${args.court}.`);
      const entries = await (await log()).reviewOf(args.court, {
        ...(args.from ? { from: `${args.from}T00:00:00${CST}` } : {}),
        ...(args.to ? { to: `${nextDay(args.to)}T00:00:00${CST}` } : {}),
      });
      const officers = new Map<string, { officer: string; count: number; refused: number }>();
      const perCase = new Map<string, { caseNumber: string; count: number }>();
      for (const e of entries) {
        const officer = e.caller.officer ?? '';
        const o = officers.get(officer) ?? { officer, count: 0, refused: 0 };
        o.count += 1;
        if (e.outcome === 'REFUSED') o.refused += 1;
        officers.set(officer, o);
        if (e.caseNumber !== null) {
          const c = perCase.get(e.caseNumber) ?? { caseNumber: e.caseNumber, count: 0 };
          c.count += 1;
          perCase.set(e.caseNumber, c);
        }
      }
      const judged = entries.filter((e) => e.subjects.length > 0);
      const cases = await casesByNumber(court, judged.flatMap((e) => (e.caseNumber === null ? [] : [e.caseNumber])));
      const outliers = judged.flatMap((e) => {
        const reasons = outlierReasons(e, args.court, cases);
        return reasons.length === 0 ? [] : [{ record: accessRecord(e), reasons }];
      });
      return {
        court: args.court,
        from: args.from ?? null,
        to: args.to ?? null,
        total: entries.length,
        officers: [...officers.values()].sort(byCountThenName((o) => o.officer)),
        cases: [...perCase.values()].sort(byCountThenName((c) => c.caseNumber)),
        outliers,
      };
    },
  },
};
