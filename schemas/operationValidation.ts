import { type DocumentNode, GraphQLError, type GraphQLSchema, Kind, parse, validate } from 'graphql';

/** An operation text courts send, and where it is kept (the file it is read from). */
export interface CourtOperation {
  source: string;
  text: string;
}

export interface OperationError {
  message: string;
  /** `line:column` in the operation's text. */
  locations: string[];
}

export interface OperationValidation extends CourtOperation {
  /** The operation names the text defines, `(anonymous)` for one without. */
  name: string;
  errors: OperationError[];
}

/** Each operation validated against the schema courts would see (graphql's `validate`, every rule). */
export function validateOperations(schema: GraphQLSchema, operations: readonly CourtOperation[]): OperationValidation[] {
  return operations.map((operation) => {
    let document: DocumentNode;
    try {
      document = parse(operation.text);
    } catch (error) {
      return { ...operation, name: firstOperationName(operation.text), errors: [errorOf(error)] };
    }
    return { ...operation, name: operationNames(document), errors: validate(schema, document).map(errorOf) };
  });
}

function operationNames(document: DocumentNode): string {
  return document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : [])).join(', ');
}

// A text that does not parse is still named, so the report says which one it is.
function firstOperationName(text: string): string {
  return /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(text)?.[1] ?? '(anonymous)';
}

function errorOf(error: unknown): OperationError {
  if (!(error instanceof GraphQLError)) return { message: String(error), locations: [] };
  return { message: error.message, locations: (error.locations ?? []).map((l) => `${l.line}:${l.column}`) };
}
