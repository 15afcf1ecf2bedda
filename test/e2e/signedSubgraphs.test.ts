import { issueDevToken } from '../../gateway/auth/devIssuer';
import { postGraphQL } from '../support/postGraphQL';
import { signedHeaders } from '../support/signedHeaders';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 100 });
const COURTS = '{ courts { code } }';

describe('the stack\'s subgraphs answer only its gateway', () => {
  it('the gateway signs what it forwards: the answer comes back and the agency saw a request id', async () => {
    const token = await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] });
    const answer = await postGraphQL(stack().gateway.url, COURTS, undefined, { authorization: `Bearer ${token}` });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.courts).toHaveLength(stack().population.courts.length);
    const calls = stack().emulators.court!.calls;
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  it('refuses a direct call to a subgraph without the gateway\'s signature, before any agency call', async () => {
    for (const subgraph of Object.values(stack().subgraphs)) {
      expect(await postGraphQL(subgraph.url, '{ __typename }')).toEqual({
        status: 401,
        errors: [{ message: 'This subgraph answers only the gateway: the request carries no x-gateway-signature header.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(Object.values(stack().emulators).every((e) => e.calls.length === 0)).toBe(true);
  });

  it('answers a direct call signed with this stack\'s secret, and no other', async () => {
    const court = stack().subgraphs.court;
    expect((await postGraphQL(court.url, COURTS, undefined, await signedHeaders(stack().subgraphSecret))).data?.courts).toHaveLength(stack().population.courts.length);
    expect((await postGraphQL(court.url, COURTS, undefined, await signedHeaders())).status).toBe(401);
  });
});
