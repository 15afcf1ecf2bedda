/**
 * A new supergraph file under load: a gateway over the stack's subgraphs serves a copy of the
 * supergraph that is replaced while 8 dossiers at a time (each of another case) keep arriving.
 * Every answer must be whole, the new schema served once it is taken, a broken file (and one that
 * drops an access rule) change nothing, and the access rules hold throughout. Waits are for
 * conditions (the jest timeout is the only guard); the poll interval is injected.
 */
import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningGateway } from '../../gateway/createGateway';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { caseVariables, DOSSIER } from '../../schemas/courtOperations';
import { postInCase } from '../support/courtRequest';
import { startExtraGateway } from '../support/extraGateway';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 80 });
const dir = mkdtempSync(join(tmpdir(), 'cag-supergraph-'));
const path = join(dir, 'supergraph.graphql');
const ORIGINAL = readFileSync(SUPERGRAPH_PATH, 'utf8');
const VEHICLE = 'A motor vehicle as the traffic police vehicle registry (机动车登记) records it.';
const CASE_DEBTOR_RULE = '@policy(policies: [["case_debtor"]])';

// Inside a describe: its afterAll stops the extra gateway before the stack's (top level, declared first) closes the database they drop their tables in.
describe('supergraph reload', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    copyFileSync(SUPERGRAPH_PATH, path);
    gateway = await startExtraGateway(stack(), { supergraphPath: path, supergraphPollIntervalMs: 25 });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** As a deployment replaces it: written beside, then renamed over. */
  function replaceSupergraph(text: string): void {
    writeFileSync(`${path}.next`, text);
    renameSync(`${path}.next`, path);
  }

  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async function vehicleDescription(): Promise<string | undefined> {
    const answer = await postGraphQL<{ __type: { description: string } }>(gateway.url, '{ __type(name: "Vehicle") { description } }');
    return answer.data?.__type.description;
  }

  interface Answered {
    caseNumber: string;
    status: number;
    errors: unknown;
    answeredCase: string | undefined;
  }

  it('takes a new supergraph under load without failing a request, keeps it through a bad file, then takes the next', async () => {
    expect(ORIGINAL).toContain(VEHICLE);
    expect(ORIGINAL).toContain(CASE_DEBTOR_RULE);
    const cases = stack().population.cases.filter((c) => c.status === 'ACTIVE' && c.debtors.some((d) => d.kind === 'PERSON')).slice(0, 8);
    expect(cases).toHaveLength(8);

    const answers: Answered[] = [];
    let running = true;
    const worker = async (caseNumber: string) => {
      while (running) {
        const answer = await postInCase<{ case: { caseNumber: string } }>(gateway.url, stack().population, caseNumber, DOSSIER, caseVariables(caseNumber));
        answers.push({ caseNumber, status: answer.status, errors: answer.errors, answeredCase: answer.data?.case.caseNumber });
      }
    };
    const stream = Promise.all(cases.map((c) => worker(c.caseNumber)));
    /** Waits for every worker to have been answered again since now: requests ran across the change. */
    const moreAnswers = async () => {
      const seen = answers.length;
      await until(() => answers.length >= seen + 16);
    };

    try {
      await moreAnswers();
      // A compatible change: a description.
      replaceSupergraph(ORIGINAL.replace(VEHICLE, `${VEHICLE} (reload one)`));
      await until(() => gateway.stats().supergraph.applied === 1);
      await moreAnswers();
      expect(await vehicleDescription()).toContain('(reload one)');

      // Not a supergraph, then one that drops an access rule: both refused, the served one kept.
      replaceSupergraph('type Query {');
      await until(() => gateway.stats().supergraph.rejected === 1);
      replaceSupergraph(ORIGINAL.replace(CASE_DEBTOR_RULE, ''));
      await until(() => gateway.stats().supergraph.rejected === 2);
      await moreAnswers();
      expect(await vehicleDescription()).toContain('(reload one)');
      expect(gateway.stats().supergraph.applied).toBe(1);

      // The next good file is taken.
      replaceSupergraph(ORIGINAL.replace(VEHICLE, `${VEHICLE} (reload two)`));
      await until(() => gateway.stats().supergraph.applied === 2);
      await moreAnswers();
      expect(await vehicleDescription()).toContain('(reload two)');
    } finally {
      running = false;
      await stream;
    }

    const failed = answers.filter((a) => a.status !== 200 || a.errors !== undefined || a.answeredCase !== a.caseNumber);
    expect(failed).toEqual([]);
    expect(new Set(answers.map((a) => a.caseNumber)).size).toBe(8);
    expect(gateway.stats().supergraph).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), applied: 2, rejected: 2 });
    expect(await gateway.readiness()).toMatchObject({ ready: true, checks: { supergraph: { status: 'loaded' } } });

    // The access rules still hold on the new supergraph: no token, and assets of a non-debtor.
    const anonymous = await postGraphQL(gateway.url, DOSSIER, caseVariables(cases[0]!.caseNumber));
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const debtors = new Set(cases[0]!.debtors.flatMap((d) => (d.kind === 'PERSON' ? [d.idNumber] : [])));
    const stranger = stack().population.persons.find((p) => !debtors.has(p.idNumber))!;
    const refused = await postInCase(gateway.url, stack().population, cases[0]!.caseNumber, 'query Stranger($id: IdNumber!) { person(idNumber: $id) { vehicles { vin } } }', { id: stranger.idNumber });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
  });
});
