/**
 * Every gateway answer names its audit record in `x-request-id`, allowed or refused, so a court
 * can quote it and a sweep can store it beside what it found: the id is the record's own.
 */
import { REQUEST_ID_HEADER } from '../../lib/http/requestIdHeader';
import { officerHeaders } from '../support/courtRequest';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 100 });

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; requestId: string | null }> {
  const response = await fetch(stack().gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await response.arrayBuffer();
  return { status: response.status, requestId: response.headers.get(REQUEST_ID_HEADER) };
}

it('names the audit record of an answer, of a refusal and of a request that does not parse, each its own', async () => {
  const { population, gateway } = stack();
  const rich = population.scenarios.richDebtor;
  const court = await officerHeaders(population, rich.caseNumber);
  const query = JSON.stringify({ query: `{ person(idNumber: "${rich.idNumber}") { name } }` });

  const before = await gateway.audit.verify();
  const answered = await post(court, query);
  const refused = await post({}, query);
  const unparsed = await post(court, '{"query": "{ person(idNumber: "');
  expect([answered.status, refused.status, unparsed.status]).toEqual([200, 401, 400]);
  const ids = [answered.requestId, refused.requestId, unparsed.requestId];
  for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(new Set(ids).size).toBe(3);

  // The answer is in its court's review under that id; the two refusals (no verified caller)
  // are records of their own: one final record each, beside the answer's intent and outcome.
  const review = await gateway.audit.reviewOf(population.cases.find((c) => c.caseNumber === rich.caseNumber)!.courtCode);
  expect(review.find((r) => r.requestId === answered.requestId)?.outcome).toBe('ANSWERED');
  const after = await gateway.audit.verify();
  expect(after.ok && before.ok && after.count - before.count).toBe(4);
});
