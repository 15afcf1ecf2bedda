/**
 * The audit's durability through the whole stack. On both backends: no agency or subgraph is
 * asked anything for a request whose intent is not durable (seal, freeze, dossier), every
 * call of an allowed request comes after its intent's commit and before its outcome, and a
 * request cut off between the two stays visible as an access (UNFINISHED). Against a
 * PostgreSQL server (CI sets DATABASE_URL): several gateways keep one chain, and a gateway
 * whose audit database goes away answers nothing and asks nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Stack, startStack } from '../../stack/startStack';
import type { AuditRecordInput } from '../../lib/audit/auditRecord';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { openDatabase } from '../../lib/db/openDatabase';
import { GATEWAY_SIGNATURE_HEADER, verifyFromGateway } from '../../lib/gatewaySignature';
import { type BankAccountRecord, createPopulation } from '../../mocks/population';
import { DOSSIER } from '../support/faultDossier';
import { postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { callCounts, useStack } from '../support/stack';
import { startTcpProxy } from '../support/tcpProxy';

const DATABASE_URL = process.env.DATABASE_URL;
const population = createPopulation({ persons: 100 });
const rich = population.scenarios.richDebtor;
const LOOK = `{ person(idNumber: "${rich.idNumber}") { name } }`;
const look = (stack: Stack) => postInCase(stack.gateway.url, population, rich.caseNumber, LOOK);
const tables: string[] = [];
const table = () => {
  const name = `audit_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  tables.push(name);
  return name;
};

(DATABASE_URL ? describe : describe.skip)('audit on PostgreSQL', () => {
  afterAll(async () => {
    const db = await openDatabase({ url: DATABASE_URL });
    for (const name of tables) {
      await db.query(`DROP TABLE IF EXISTS "${name}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${name}_append_only"() CASCADE`);
    }
    await db.close();
  });

  it('two gateways on one PostgreSQL keep one valid chain', async () => {
    const auditTable = table();
    const [a, b] = await Promise.all([
      startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable }),
      startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable }),
    ]);
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => look(i % 2 === 0 ? a : b)));
      expect(answers.every((r) => r.errors === undefined)).toBe(true);
      // Each request: an intent before its case lookup, and its outcome.
      await expect(a.gateway.audit.verify()).resolves.toEqual({ ok: true, count: 80 });
      const rows = await a.gateway.audit.reviewOf('浙0106');
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.requestId)).size).toBe(40);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('answers nothing and asks no agency while its audit database is unreachable', async () => {
    const proxy = await startTcpProxy(new URL(DATABASE_URL!));
    const auditTable = table();
    const stack = await startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: proxy.url, auditTable });
    try {
      expect((await look(stack)).errors).toBeUndefined();
      proxy.cut();
      for (const e of Object.values(stack.emulators)) e.resetCalls();
      const refused = await Promise.all([look(stack), look(stack), look(stack)]);
      // Not even the case lookup went out: its intent could not be written.
      expect(Object.values(callCounts(stack.emulators)).every((n) => n === 0)).toBe(true);
      for (const answer of refused) {
        expect(answer.status).toBe(503);
        expect(answer.data).toBeUndefined();
        expect(answer.errors).toEqual([{ message: 'The request could not be written to the audit log, so it is not answered.', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
      }
    } finally {
      await stack.stop().catch(() => undefined);
      await proxy.close();
    }
    // Only the request answered before the cut is on record: its intent and its outcome.
    const again = await startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable });
    try {
      await expect(again.gateway.audit.verify()).resolves.toEqual({ ok: true, count: 2 });
    } finally {
      await again.stop();
    }
  });
});

const UNAVAILABLE = [{ message: 'The request could not be written to the audit log, so it is not answered.', extensions: { code: 'AUDIT_UNAVAILABLE' } }];
const SEAL = `mutation Seal($input: SealRealEstateInput!) { sealRealEstate(input: $input) { seal { id requestId status } refusal { code } } }`;
const FREEZE = `mutation Freeze($input: FreezeDepositInput!) { freezeDeposit(input: $input) { freeze { id requestId status } refusal { code } } }`;
const MEASURES = `query Measures($case: CaseNumber!) { case(caseNumber: $case) { realEstateSeals { requestId } depositFreezes { requestId } } }`;
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };
/** An operation name no other test uses, to find its records. */
const named = (what: string) => `${what}${randomBytes(4).toString('hex')}`;

/**
 * Makes the stack's audit store refuse to write, as a database that is down or full does,
 * while the agencies' books (other tables of the same database) stay writable: a trigger on
 * the audit table fails every insert (`all`), or only those of final records (`outcomes`, as
 * when the final commit fails after the intent's went through).
 */
async function refuseAuditWrites(stack: Stack, which: 'all' | 'outcomes'): Promise<() => Promise<void>> {
  const table = stack.gateway.audit.table;
  await stack.database.query(`CREATE OR REPLACE FUNCTION "${table}_down"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit store is down (test)'; END $$`);
  await stack.database.query(
    `CREATE TRIGGER "${table}_down" BEFORE INSERT ON "${table}" FOR EACH ROW ${which === 'outcomes' ? "WHEN (NEW.outcome <> 'INTENT')" : ''} EXECUTE FUNCTION "${table}_down"()`,
  );
  return async () => {
    await stack.database.query(`DROP TRIGGER "${table}_down" ON "${table}"`);
    await stack.database.query(`DROP FUNCTION "${table}_down"()`);
  };
}

/** Every request any subgraph receives, as it arrives, with the signature it carries. */
function watchSubgraphs(stack: Stack, onArrival: (arrival: { subgraph: string; token: string | undefined }) => void = () => undefined) {
  const arrivals: { subgraph: string; token: string | undefined }[] = [];
  const listeners = Object.entries(stack.subgraphs).map(([subgraph, served]) => {
    const listener = (req: IncomingMessage) => {
      const token = req.headers[GATEWAY_SIGNATURE_HEADER];
      const arrival = { subgraph, token: typeof token === 'string' ? token : undefined };
      arrivals.push(arrival);
      onArrival(arrival);
    };
    served.httpServer.prependListener('request', listener);
    return () => void served.httpServer.off('request', listener);
  });
  return { arrivals, stop: () => listeners.forEach((off) => off()) };
}

describe('the audit intent: nothing is asked of an agency before the request is on record', () => {
  const stack = useStack({ persons: 300 });
  const population = () => stack().population;
  const rich = () => population().scenarios.richDebtor;
  const house = () => population().scenarios.contestedHouse;
  const account = (): BankAccountRecord =>
    population().bankAccounts.filter((a) => a.holder.kind === 'PERSON' && a.holder.idNumber === rich().idNumber && a.bankCode === 'NCB' && a.currency === 'CNY')[0]!;
  const seal = (requestId: string) =>
    postInCase(stack().gateway.url, population(), house().caseNumbers[0], SEAL, {
      input: { requestId, unitNumber: house().unitNumber, documentNumber: `${house().caseNumbers[0]}之一`, termDays: 1095 },
    }, control);
  const freeze = (requestId: string) =>
    postInCase(stack().gateway.url, population(), rich().caseNumber, FREEZE, {
      input: { requestId, bankCode: account().bankCode, accountNumber: account().accountNumber, documentNumber: `${rich().caseNumber}之一`, termDays: 365, amount: '100.00' },
    }, control);
  const measureRequestIds = async (caseNumber: string) => {
    const answer = await postInCase(stack().gateway.url, population(), caseNumber, MEASURES, { case: caseNumber }, control);
    expect(answer.errors).toBeUndefined();
    const kase = answer.data!.case as { realEstateSeals: { requestId: string }[]; depositFreezes: { requestId: string }[] };
    return [...kase.realEstateSeals, ...kase.depositFreezes].map((m) => m.requestId);
  };
  const records = async (operationName: string) =>
    (await stack().database.query<{ outcome: string; request_id: string; error_codes: string[] }>(
      `SELECT outcome, request_id, error_codes FROM "${stack().gateway.audit.table}" WHERE operation_name = $1 ORDER BY id`, [operationName],
    )).rows;

  it('with the audit store failing, a seal and a freeze answer 503 AUDIT_UNAVAILABLE and reach no subgraph or agency: nothing is recorded there', async () => {
    const sealId = `seal-${randomUUID()}`;
    const freezeId = `freeze-${randomUUID()}`;
    const subgraphs = watchSubgraphs(stack());
    const restore = await refuseAuditWrites(stack(), 'all');
    try {
      for (const answer of [await seal(sealId), await freeze(freezeId)]) {
        expect(answer.status).toBe(503);
        expect(answer.data).toBeUndefined();
        expect(answer.errors).toEqual(UNAVAILABLE);
      }
    } finally {
      await restore();
      subgraphs.stop();
    }
    expect(subgraphs.arrivals).toEqual([]);
    expect(Object.values(callCounts(stack().emulators)).every((n) => n === 0)).toBe(true);
    // Nothing at the agencies: neither measure is in its case's books...
    expect(await measureRequestIds(house().caseNumbers[0])).not.toContain(sealId);
    expect(await measureRequestIds(rich().caseNumber)).not.toContain(freezeId);
    // ...and with the store back the same acts are served afresh, not found done already.
    const sealed = await seal(sealId);
    expect(sealed.errors).toBeUndefined();
    expect(sealed.data!.sealRealEstate).toMatchObject({ seal: { requestId: sealId, status: 'ACTIVE' }, refusal: null });
    const frozen = await freeze(freezeId);
    expect(frozen.errors).toBeUndefined();
    expect(frozen.data!.freezeDeposit).toMatchObject({ freeze: { requestId: freezeId, status: 'ACTIVE' }, refusal: null });
  });

  it('with the audit store failing, a dossier makes no subgraph call and no agency call', async () => {
    const subgraphs = watchSubgraphs(stack());
    const restore = await refuseAuditWrites(stack(), 'all');
    try {
      const answer = await postInCase(stack().gateway.url, population(), rich().caseNumber, DOSSIER, { case: rich().caseNumber });
      expect(answer.status).toBe(503);
      expect(answer.errors).toEqual(UNAVAILABLE);
    } finally {
      await restore();
      subgraphs.stop();
    }
    expect(subgraphs.arrivals).toEqual([]);
    expect(callCounts(stack().emulators)).toEqual(Object.fromEntries(Object.keys(stack().emulators).map((name) => [name, 0])));
  });

  it("commits each allowed request's intent before its first subgraph call and its outcome after the last", async () => {
    const audit = stack().gateway.audit;
    const append = audit.append;
    // One timeline of the audit's commits and the subgraphs' arrivals, all in this process.
    const events: ({ kind: 'intent' | 'outcome'; requestId: string } | { kind: 'subgraph'; token: string | undefined })[] = [];
    // A recording log: each record once its commit is through, before the gateway goes on.
    audit.append = async (input: AuditRecordInput) => {
      const written = await append.call(audit, input);
      events.push({ kind: input.outcome === 'INTENT' ? 'intent' : 'outcome', requestId: input.requestId });
      return written;
    };
    const subgraphs = watchSubgraphs(stack(), ({ token }) => events.push({ kind: 'subgraph', token }));
    try {
      const dossier = await postInCase(stack().gateway.url, population(), rich().caseNumber, DOSSIER.replace('Dossier', named('Dossier')), { case: rich().caseNumber });
      expect(dossier.errors).toBeUndefined();
      const courts = await postInCase(stack().gateway.url, population(), rich().caseNumber, '{ courts { code } }');
      expect(courts.errors).toBeUndefined();
      const sealed = await seal(`seal-${randomUUID()}`);
      expect(sealed.errors).toBeUndefined();
    } finally {
      audit.append = append;
      subgraphs.stop();
    }
    // Each subgraph arrival named by the request it was signed for.
    const timeline = await Promise.all(
      events.map(async (e) => (e.kind === 'subgraph' ? `subgraph ${(await verifyFromGateway(stack().subgraphSecret, e.token)).requestId}` : `${e.kind} ${e.requestId}`)),
    );
    const requests = [...new Set(timeline.map((e) => e.split(' ')[1]!))];
    expect(requests).toHaveLength(3);
    for (const id of requests) {
      const own = timeline.filter((e) => e.endsWith(` ${id}`));
      expect(own[0]).toBe(`intent ${id}`);
      expect(own[own.length - 1]).toBe(`outcome ${id}`);
      expect(own.filter((e) => e.startsWith('subgraph')).length).toBeGreaterThan(0);
      expect(own.filter((e) => !e.startsWith('subgraph'))).toEqual([`intent ${id}`, `outcome ${id}`]);
    }
  });

  it('leaves a request cut off between its intent and its outcome visible: the citizen sees it and the supervisor counts it, as UNFINISHED', async () => {
    const { closedCase } = population().scenarios;
    const closed = population().cases.find((c) => c.caseNumber === closedCase.caseNumber)!;
    const op = named('CutOff');
    const query = `query ${op}($id: IdNumber!) { person(idNumber: $id) { vehicles { plateNumber } } }`;
    const restore = await refuseAuditWrites(stack(), 'outcomes');
    try {
      // The case lookup (an outbound call) went out under a durable intent; the outcome could not be written.
      const answer = await postInCase(stack().gateway.url, population(), closedCase.caseNumber, query, { id: rich().idNumber });
      expect(answer.status).toBe(503);
      expect(answer.errors).toEqual(UNAVAILABLE);
    } finally {
      await restore();
    }
    expect((await records(op)).map((r) => r.outcome)).toEqual(['INTENT']);
    // The intent says who asked what, in which case, about whom: the access is attributable without its outcome.
    expect((await stack().gateway.audit.accessesOf(rich().idNumber, { limit: 1 }))[0]).toMatchObject({
      operationName: op,
      outcome: 'UNFINISHED',
      caller: { kind: 'court', court: closed.courtCode, officer: closed.officer },
      caseNumber: closedCase.caseNumber,
      subjects: [rich().idNumber],
      fields: expect.arrayContaining(['Query.person', 'Person.vehicles']),
    });

    const asCitizen = { authorization: `Bearer ${await issueDevToken({ kind: 'citizen', idNumber: rich().idNumber })}` };
    const log = await postGraphQL(stack().gateway.url, '{ accessLog { operationName outcome caseNumber officer } }', undefined, asCitizen);
    expect(log.errors).toBeUndefined();
    expect(log.data!.accessLog).toContainEqual({ operationName: op, outcome: 'UNFINISHED', caseNumber: closedCase.caseNumber, officer: closed.officer });

    const supervisor = { authorization: `Bearer ${await issueDevToken({ kind: 'court', court: closed.courtCode, officer: `${closed.courtCode}-900`, roles: ['supervise'] })}` };
    const review = await postGraphQL(stack().gateway.url, `query Review($court: String!) { auditReview(court: $court) { outliers { record { operationName outcome } } officers { officer count } } }`,
      { court: closed.courtCode }, supervisor);
    expect(review.errors).toBeUndefined();
    // Counted as a request its officer made (named a person outside an active case: an outlier too).
    expect(review.data!.auditReview.outliers.map((o: { record: unknown }) => o.record)).toContainEqual({ operationName: op, outcome: 'UNFINISHED' });
    expect(review.data!.auditReview.officers.find((o: { officer: string }) => o.officer === closed.officer).count).toBeGreaterThanOrEqual(1);
  });
});
