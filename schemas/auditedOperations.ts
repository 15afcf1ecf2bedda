import { type GraphQLSchema, isInterfaceType, isObjectType } from 'graphql';
import { operationHash } from '../lib/audit/auditRecord';
import type { OperationValidation } from './operationValidation';

/**
 * An operation as the audit log records it. The log keeps an operation's name and the sha256 of
 * its text, never the text (lib/audit/auditRecord.ts), and the `Type.field` coordinates the
 * request reached; so a recorded operation is known when its hash is that of a text the check
 * validates, and any other is checked by the coordinates it reached.
 */
export interface RecordedOperation {
  name: string | null;
  hash: string;
  requests: number;
  /** `Type.field` coordinates reached by any of its requests. */
  fields: readonly string[];
}

export interface AuditedOperationCheck extends RecordedOperation {
  /**
   * `text`: the hash is that of a validated operation text (`sameAs` names it); `name`: sent
   * under a name one of them uses, with another text; `unknown`: a name none of them uses.
   */
  known: 'text' | 'name' | 'unknown';
  sameAs?: string;
  /** Coordinates it reached that the candidate API schema no longer has. */
  missingFields: string[];
}

/** The audit log's operations held against the validated operations and the candidate API schema. */
export function checkAuditedOperations(
  schema: GraphQLSchema,
  recorded: readonly RecordedOperation[],
  validated: readonly OperationValidation[],
): AuditedOperationCheck[] {
  // Hashed exactly as the gateway hashes a request's query text.
  const byHash = new Map(validated.map((v) => [operationHash(v.text), v]));
  const names = new Set(validated.flatMap((v) => v.name.split(', ')));
  return recorded.map((operation) => {
    const same = byHash.get(operation.hash);
    const known = same ? 'text' : operation.name !== null && names.has(operation.name) ? 'name' : 'unknown';
    return {
      ...operation,
      known,
      ...(same ? { sameAs: `${same.name} (${same.source})` } : {}),
      missingFields: operation.fields.filter((coordinate) => !hasCoordinate(schema, coordinate)),
    };
  });
}

function hasCoordinate(schema: GraphQLSchema, coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.');
  if (fieldName === undefined) return schema.getType(coordinate) !== undefined;
  // __typename, __schema and __type are on every schema.
  if (fieldName.startsWith('__')) return schema.getType(typeName!) !== undefined;
  const type = schema.getType(typeName!);
  return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
}
