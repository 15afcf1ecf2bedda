import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 50, production: true });

describe('gateway in production mode', () => {
  it('refuses introspection', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ __schema { queryType { name } } }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('serves no Sandbox page', async () => {
    const response = await fetch(stack().gateway.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });

  it('still answers courts', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ courts { code } }');
    expect(answer.data?.courts).toHaveLength(stack().population.courts.length);
  });
});
