import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';

/** One tab the explorer opens with: an operation and, when known, its variables. */
export interface ExplorerTab {
  query: string;
  /** The tab's variables, shown as JSON under Variables. @default none */
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * One tab per operation, its variables filled with the example value of each variable's type
 * (`{ CaseNumber: '(2024)浙0106执1234号', SealRealEstateInput: {...} }`): the caller knows the
 * seeded world, the gateway only the operations. A list type takes the example of its item
 * type as a one-item list unless it has an example of its own (`[IdNumber!]`); a variable
 * whose type has no example is left out, for the reader to fill in.
 */
export function explorerTabs(operations: readonly string[], examplesByType: Readonly<Record<string, unknown>> = {}): ExplorerTab[] {
  return operations.map((query) => {
    const variables: Record<string, unknown> = {};
    for (const definition of operationOf(query).variableDefinitions ?? []) {
      const value = exampleOf(definition.type, examplesByType);
      if (value !== undefined) variables[definition.variable.name.value] = value;
    }
    return Object.keys(variables).length > 0 ? { query, variables } : { query };
  });
}

function operationOf(query: string): OperationDefinitionNode {
  const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error(`Not an operation: ${query.slice(0, 40)}`);
  return operation;
}

function exampleOf(type: TypeNode, examples: Readonly<Record<string, unknown>>): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return exampleOf(type.type, examples);
  if (type.kind === Kind.NAMED_TYPE) return examples[type.name.value];
  const own = examples[`[${typeName(type.type)}]`];
  if (own !== undefined) return own;
  const item = exampleOf(type.type, examples);
  return item === undefined ? undefined : [item];
}

/** A type as written, e.g. `IdNumber!`. */
function typeName(type: TypeNode): string {
  if (type.kind === Kind.NON_NULL_TYPE) return `${typeName(type.type)}!`;
  if (type.kind === Kind.LIST_TYPE) return `[${typeName(type.type)}]`;
  return type.name.value;
}
