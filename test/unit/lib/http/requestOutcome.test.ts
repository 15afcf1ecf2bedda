import type { GraphQLResponse } from '@apollo/server';
import { requestOutcome } from '../../../../lib/http/requestOutcome';

const answer = (result: { data?: unknown; errors?: { message: string }[] }, status?: number): { response: GraphQLResponse } => ({
  response: {
    http: { status, headers: new Map() as never },
    body: { kind: 'single', singleResult: result as never },
  },
});

describe('requestOutcome: the one rule the request log, the metrics and the server span share', () => {
  it('ok: data and no error', () => {
    expect(requestOutcome(answer({ data: { a: 1 } }))).toEqual({ outcome: 'ok', status: 200, errors: [] });
  });

  it('partial: data beside errors (an agency down)', () => {
    const r = requestOutcome(answer({ data: { a: null }, errors: [{ message: 'down' }] }));
    expect(r.outcome).toBe('partial');
    expect(r.errors).toHaveLength(1);
  });

  it('refused: errors and no data, null or absent', () => {
    expect(requestOutcome(answer({ errors: [{ message: 'no' }] }, 400)).outcome).toBe('refused');
    expect(requestOutcome(answer({ data: null, errors: [{ message: 'no' }] })).outcome).toBe('refused');
  });

  it('failed: any 5xx, whatever the body says', () => {
    expect(requestOutcome(answer({ data: { a: 1 } }, 503))).toEqual({ outcome: 'failed', status: 503, errors: [] });
  });
});
