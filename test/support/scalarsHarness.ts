import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, type ExecutionResult } from 'graphql';
import { scalarResolvers } from '../../schemas/scalars';

/**
 * For each scalar X a real schema has:
 *   inX(v: X!): String  -- JSON of the parsed (internal) value the resolver receives
 *   echoX(v: X!): X     -- parse then serialize
 *   outX: X             -- serializes whatever the context holds in `out`
 */
export const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, { out?: unknown }>({
    name: 'Query',
    fields: Object.fromEntries(
      Object.values(scalarResolvers).flatMap((scalar) => [
        [`in${scalar.name}`, { type: GraphQLString, args: { v: { type: new GraphQLNonNull(scalar) } }, resolve: (_: unknown, a: { v: unknown }) => JSON.stringify(a.v) }],
        [`echo${scalar.name}`, { type: scalar, args: { v: { type: new GraphQLNonNull(scalar) } }, resolve: (_: unknown, a: { v: unknown }) => a.v }],
        [`out${scalar.name}`, { type: scalar, resolve: (_: unknown, __: unknown, ctx: { out?: unknown }) => ctx.out }],
      ]),
    ),
  }),
});

export interface JsonResult {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** Runs an operation and returns its JSON form, so whole errors can be compared. */
export async function run(source: string, variableValues?: Record<string, unknown>, out?: unknown): Promise<JsonResult> {
  const result: ExecutionResult = await graphql({ schema, source, variableValues, contextValue: { out } });
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}
