import { isScalarType, type GraphQLSchema } from 'graphql';
import { scalarResolvers } from '../schemas/scalars';

/**
 * The supergraph only names the custom scalars; the gateway gives them the same checks the
 * subgraphs use, so a bad identifier (literal or variable) is refused here, before any
 * subgraph or agency is called. The schema's scalar types are updated in place because
 * ApolloGateway validates requests against that very schema object.
 */
export function attachSharedScalars(schema: GraphQLSchema): void {
  for (const [name, impl] of Object.entries(scalarResolvers)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = impl.parseValue;
    type.parseLiteral = impl.parseLiteral;
    type.serialize = impl.serialize;
    type.description ??= impl.description;
  }
}
