/**
 * `npm run -s example:measures`: the whole control flow of issue 5 as a court's software sees
 * it, printed as GraphQL operations and the gateway's answers. Two courts want the same
 * account of a debtor; banks answer an hour after they are served (the agencies' clock is
 * moved by the script, so the run takes seconds):
 *
 *   query -> freeze (court A) -> freeze (court B) waits -> release (A) -> B promoted -> deduct (B)
 */
import { startStack } from '../stack/startStack';
import { issueDevToken } from '../gateway/auth/devIssuer';
import { createPopulation } from '../mocks/population';
import { CASE_DEPOSITS, DEBTOR, DEDUCT, FREEZE, FREEZES, RELEASE } from './controlSequenceOperations';

const HOUR_MS = 3_600_000;

async function main(): Promise<void> {
  // The operations and answers are the output; the gateway's request log would drown them.
  process.env.LOG_LEVEL ??= 'warn';
  let now = Date.parse('2026-03-02T01:00:00.000Z');
  const population = createPopulation({ persons: 300 });
  const stack = await startStack({
    population,
    clock: () => new Date(now),
    agencyAnswerDelayMs: HOUR_MS,
    agencyLatencyMs: 0,
    auditDatabaseUrl: undefined,
    redisUrl: undefined,
  });
  try {
    const { idNumber, caseNumbers } = population.scenarios.debtorInTwoCourts;
    const cases = caseNumbers.map((n) => population.cases.find((c) => c.caseNumber === n)!);
    const account = population.bankAccounts.find((a) => a.holder.kind === 'PERSON' && a.holder.idNumber === idNumber)!;
    const tokens = await Promise.all(
      cases.map((c) => issueDevToken({ kind: 'court', court: c.courtCode, officer: c.officer, roles: ['query', 'control'] })),
    );

    const step = async (title: string, court: 0 | 1, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[court]}`, 'x-case-number': encodeURIComponent(cases[court]!.caseNumber) },
        body: JSON.stringify({ query, variables }),
      });
      const answer = await response.json();
      console.log(`\n## ${title}\n# ${cases[court]!.courtCode}, x-case-number: ${cases[court]!.caseNumber}, at ${new Date(now).toISOString()}`);
      console.log(query.trim());
      if (Object.keys(variables).length > 0) console.log(`variables: ${JSON.stringify(variables)}`);
      console.log(`-> ${JSON.stringify(answer, null, 2)}`);
      return answer as { data: any };
    };
    const freezeInput = (court: 0 | 1, requestId: string, amount: string) => ({
      input: { requestId, bankCode: account.bankCode, accountNumber: account.accountNumber, documentNumber: `${cases[court]!.caseNumber}之一`, termDays: 365, amount },
    });

    await step('1. Query: what the debtor holds', 0, DEBTOR, { id: idNumber });

    const a = await step('2. Court A freezes 10,000.00 (the bank answers within the hour)', 0, FREEZE, freezeInput(0, 'A-freeze-1', '10000.00'));
    const freezeA = a.data.freezeDeposit.freeze.id as string;
    const b = await step('3. Court B freezes the same account', 1, FREEZE, freezeInput(1, 'B-freeze-1', '20000.00'));
    const freezeB = b.data.freezeDeposit.freeze.id as string;

    now += HOUR_MS;
    await step('4. An hour later: A is ACTIVE, B WAITING behind it', 1, FREEZES, { id: idNumber });

    now += 24 * HOUR_MS;
    await step('5. Court A releases its freeze', 0, RELEASE, { input: { measureId: freezeA, documentNumber: `${cases[0]!.caseNumber}之二` } });
    await step('6. B was promoted: ACTIVE, its term starting at the release', 1, FREEZES, { id: idNumber });

    now += HOUR_MS;
    await step('7. Court B deducts 5,000.00 of what it froze into its case account', 1, DEDUCT, { input: { requestId: 'B-deduct-1', measureId: freezeB, amount: '5000.00' } });
    await step("8. The case's outstanding amount dropped by exactly that", 1, CASE_DEPOSITS, { case: cases[1]!.caseNumber });
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
