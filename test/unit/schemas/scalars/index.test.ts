import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, GraphQLScalarType, parse } from 'graphql';
import * as scalars from '../../../../schemas/scalars';

const { scalarResolvers } = scalars;

describe('scalarResolvers', () => {
  it('holds each scalar under its own name', () => {
    expect(Object.keys(scalarResolvers).sort()).toEqual(
      ['CaseNumber', 'CreditCode', 'Date', 'DateTime', 'IdNumber', 'Money', 'UnitNumber', 'VIN'].sort(),
    );
    for (const [name, scalar] of Object.entries(scalarResolvers)) {
      expect(scalar).toBeInstanceOf(GraphQLScalarType);
      expect(scalar.name).toBe(name);
      expect(scalars[name as keyof typeof scalars]).toBe(scalar);
    }
    expect(scalars.DateScalar).toBe(scalars.Date);
  });

  it('describes the rule each scalar enforces', () => {
    expect(scalars.IdNumber.description).toContain('GB 11643');
    expect(scalars.IdNumber.description).toContain('ISO 7064 MOD 11-2');
    expect(scalars.CreditCode.description).toContain('GB 32100');
    expect(scalars.VIN.description).toContain('ISO 3779');
    expect(scalars.UnitNumber.description).toContain('GB/T 37346');
    expect(scalars.CaseNumber.description).toContain('(2024)浙0106执1234号');
    expect(scalars.Money.description).toContain('never a number');
    expect(scalars.Date.description).toContain('YYYY-MM-DD');
  });

  it('plugs into buildSubgraphSchema', async () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse(`
        scalar IdNumber
        scalar Money
        type Query { owed(debtor: IdNumber!, amount: Money!): Money }
      `),
      resolvers: {
        ...scalarResolvers,
        Query: { owed: (_: unknown, args: { debtor: string; amount: number }) => args.amount * 2 },
      },
    });
    const ok = await graphql({ schema, source: '{ owed(debtor: "11010519491231002x", amount: "0.05") }' });
    expect(ok).toEqual({ data: { owed: '0.10' } });

    const refused = await graphql({ schema, source: '{ owed(debtor: "110105194912310021", amount: 5) }' });
    expect(refused.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'CHECK_CHARACTER' },
      { code: 'BAD_USER_INPUT', scalar: 'Money', reason: 'TYPE' },
    ]);
  });
});
