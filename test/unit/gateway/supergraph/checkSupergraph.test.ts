import { readFileSync } from 'node:fs';
import { checkSupergraph } from '../../../../gateway/supergraph/checkSupergraph';
import { SUPERGRAPH_PATH } from '../../../../schemas/loadSubgraphSdl';

const ORIGINAL = readFileSync(SUPERGRAPH_PATH, 'utf8');
const RULE = '@policy(policies: [["case_debtor"]])';
const served = checkSupergraph(ORIGINAL);

describe('checkSupergraph', () => {
  it("reads the court graph's rules, subgraphs and id", () => {
    expect(served.rules.size).toBeGreaterThan(0);
    expect([...served.subgraphNames].sort()).toEqual(['audit', 'bank', 'commerce', 'court', 'realestate', 'social-insurance', 'vehicle']);
    expect(served.id).toMatch(/^[0-9a-f]{64}$/);
    expect(served.executableSdl).not.toContain('@policy');
  });

  it('takes a compatible change (a description) against the served supergraph', () => {
    const next = checkSupergraph(ORIGINAL.replace('A motor vehicle as', 'A vehicle as'), served);
    expect(next.id).not.toBe(served.id);
    expect(next.rules).toEqual(served.rules);
  });

  it('refuses a text that is not a supergraph', () => {
    expect(() => checkSupergraph('type Query {', served)).toThrow(/Syntax Error/);
    expect(() => checkSupergraph('type Query { a: Int }', served)).toThrow();
  });

  it('refuses a supergraph that drops or changes an access rule of the served one', () => {
    expect(() => checkSupergraph(ORIGINAL.replace(RULE, ''), served)).toThrow(/drops or changes the access rules of \w+\.\w+/);
    expect(() => checkSupergraph(ORIGINAL.replace(RULE, '@policy(policies: [["own_party"]])'), served)).toThrow(/drops or changes/);
  });

  it('refuses a supergraph with rules where the served one has none', () => {
    // The executable SDL is the supergraph without its access rules.
    const bare = checkSupergraph(served.executableSdl);
    expect(bare.rules.size).toBe(0);
    expect(() => checkSupergraph(ORIGINAL, bare)).toThrow(/restart the gateway/);
  });
});
