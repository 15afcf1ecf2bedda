/**
 * Through the real stack: the case binding reads the stated case from the court subgraph, and
 * the query plan's own ask for that case is answered from what it read. The court subgraph
 * sees one request per dossier instead of two; answers and audit are the same as when every
 * fetch goes out.
 */
import type { IncomingMessage } from 'node:http';
import type { RunningGateway } from '../../../gateway/createGateway';
import { caseVariables, DOSSIER } from '../../../schemas/courtOperations';
import { postInCase } from '../../support/courtRequest';
import { useStack } from '../../support/stack';
import { startExtraGateway } from '../../support/extraGateway';

const stack = useStack({ persons: 200 });

/** Requests the court subgraph received while `run` ran. */
async function courtRequests<T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const court = stack().subgraphs.court!.httpServer;
  let requests = 0;
  const count = (request: IncomingMessage) => void (request.method === 'POST' && (requests += 1));
  court.on('request', count);
  try {
    return { result: await run(), requests };
  } finally {
    court.off('request', count);
  }
}

describe("the plan's ask for the request's own case", () => {
  let everyFetch: RunningGateway;

  beforeAll(async () => {
    // Every fetch goes out, as before: what the answers are compared against.
    everyFetch = await startExtraGateway(stack(), { answerCaseFromRecord: false, shareInflightReads: false });
  });

  afterAll(async () => {
    await everyFetch?.stop();
  });

  it('is answered from the case record: one court subgraph request and one court-system call per dossier, the same answer', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    const ask = (url: string) => postInCase(url, pop, rich.caseNumber, DOSSIER, caseVariables(rich.caseNumber));

    const answered = gateway.stats().caseRecordAnswers;
    const ours = await courtRequests(() => ask(gateway.url));
    expect(ours.result.errors).toBeUndefined();
    // The binding's lookup only; the README dossier asks the court subgraph for names of
    // owners and companies too (entity fetches), so count those apart: none of them is `case`.
    const courtCalls = emulators.court!.calls.length;
    expect(gateway.stats().caseRecordAnswers - answered).toBe(1);

    emulators.court!.resetCalls();
    const before = await courtRequests(() => ask(everyFetch.url));
    expect(before.result.errors).toBeUndefined();
    expect(before.result.data).toEqual(ours.result.data);
    expect(before.requests - ours.requests).toBe(1);
    // The court subgraph answered its second ask from its per-request memo: the court case
    // system was asked exactly as often either way.
    expect(emulators.court!.calls.length).toBe(courtCalls);
    expect(everyFetch.stats().caseRecordAnswers).toBe(0);
  });

  it('answers a bare case query with no request to the court subgraph beyond the binding', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    const query = `query Case($case: CaseNumber!) { case(caseNumber: $case) {
      caseNumber status cause amountDue outstanding filedOn closedOn officer court { code name }
      debtors { __typename ... on Person { idNumber name } ... on Company { creditCode name } }
      applicants { ... on Person { idNumber name } ... on Company { creditCode name } } } }`;
    const ours = await courtRequests(() => postInCase(gateway.url, pop, rich.caseNumber, query, { case: rich.caseNumber }));
    expect(ours.requests).toBe(1);
    expect(emulators.court!.calls).toHaveLength(1);
    const before = await courtRequests(() => postInCase(everyFetch.url, pop, rich.caseNumber, query, { case: rich.caseNumber }));
    expect(before.requests).toBe(2);
    expect(ours.result).toEqual(before.result);
    const kase = pop.cases.find((c) => c.caseNumber === rich.caseNumber)!;
    expect(ours.result.data!.case).toMatchObject({ caseNumber: rich.caseNumber, officer: kase.officer, court: { code: kase.courtCode } });
  });

  it('sends a fetch the record does not hold to the court subgraph, with the same answer as before', async () => {
    const { population: pop, gateway } = stack();
    const rich = pop.scenarios.richDebtor;
    const query = `query Other($case: CaseNumber!) { case(caseNumber: $case) { status
      debtors { ... on Person { idNumber enforcementCases { caseNumber status } } } } }`;
    const answered = gateway.stats().caseRecordAnswers;
    const ours = await courtRequests(() => postInCase(gateway.url, pop, rich.caseNumber, query, { case: rich.caseNumber }));
    expect(ours.result.errors).toBeUndefined();
    expect(ours.requests).toBe(2);
    expect(gateway.stats().caseRecordAnswers).toBe(answered);
    const before = await postInCase(everyFetch.url, pop, rich.caseNumber, query, { case: rich.caseNumber });
    expect(ours.result.data).toEqual(before.data);
  });

  it('records the court subgraph as reached in the audit, as when the fetch goes out', async () => {
    const { population: pop, gateway } = stack();
    const rich = pop.scenarios.richDebtor;
    const query = `query Status($case: CaseNumber!) { case(caseNumber: $case) { status } }`;
    const answered = gateway.stats().caseRecordAnswers;
    const lastAgencies = async (g: RunningGateway) => {
      const answer = await postInCase(g.url, pop, rich.caseNumber, query, { case: rich.caseNumber });
      expect(answer.data).toEqual({ case: { status: 'ACTIVE' } });
      const [last] = await g.audit.accessesInCases([rich.caseNumber], ['EnforcementCase.status'], { limit: 1 });
      return last!.agencies;
    };
    const ours = await lastAgencies(gateway);
    expect(gateway.stats().caseRecordAnswers - answered).toBe(1);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(await lastAgencies(everyFetch));
  });
});
