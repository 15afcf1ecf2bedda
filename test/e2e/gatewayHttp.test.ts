import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 100 });

describe('gateway over HTTP', () => {
  it('answers /healthz', async () => {
    const response = await fetch(stack().gateway.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves Apollo Sandbox to a browser in development', async () => {
    const response = await fetch(stack().gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it('allows introspection in development', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ __schema { queryType { name } } }');
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses a GraphQL GET that could be a cross-site request (CSRF prevention)', async () => {
    const url = `${stack().gateway.url}?query=${encodeURIComponent('{ courts { code } }')}`;
    const response = await fetch(url);
    expect(response.status).toBe(400);
  });
});
