import {
  type DocumentNode,
  type FieldNode,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  type GraphQLInputType,
  type GraphQLSchema,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** Scalars whose values name a person or company: the "subjects" of a request. */
const SUBJECT_SCALARS = new Set(['IdNumber', 'CreditCode']);

export interface RootAccess {
  /** Root field name, e.g. "person". */
  field: string;
  /** ID numbers and credit codes named in its arguments (normalised by their scalars). */
  subjects: string[];
  /** Case numbers named in its arguments. */
  caseNumbers: string[];
  /** Values of a `court` argument (a court's docket). */
  courts: string[];
}

export interface OperationAccess {
  operation: OperationDefinitionNode;
  roots: RootAccess[];
  /** Every field coordinate the operation selects, e.g. "Person.vehicles". */
  coordinates: ReadonlySet<string>;
}

/** What an operation selects whatever its variables: read once per parsed document. */
interface OperationShape {
  operation: OperationDefinitionNode;
  rootFields: FieldNode[];
  coordinates: ReadonlySet<string>;
}

/**
 * Shapes by schema, document and operation name. Apollo Server hands every request with the
 * same query text the same parsed document (its document store), so the typed walk over the
 * selections runs once per operation text, not once per request; a new schema (supergraph
 * update) starts afresh, and a document no longer cached is dropped with it.
 */
const shapes = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationShape>>>();

/**
 * What an operation reaches, read before it runs: the subjects and cases its root fields
 * name, and every field coordinate it selects. Variables are coerced by the same scalars
 * as execution, so `$id` and an inline literal give the same normalised subject.
 * `coercedVariables`: the variables already coerced by the caller (saves doing it twice).
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  coercedVariables?: Record<string, unknown>,
): OperationAccess {
  const shape = shapeOf(schema, document, operationName);
  const { operation } = shape;
  let variableValues = coercedVariables;
  if (variableValues === undefined) {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) throw coerced.errors[0];
    variableValues = coerced.coerced;
  }

  const rootType = schema.getRootType(operation.operation)!;
  const roots: RootAccess[] = [];
  for (const node of shape.rootFields) {
    const field = rootType.getFields()[node.name.value];
    if (!field) continue; // __typename, __schema: introspection has its own rules
    const args = getArgumentValues(field, node, variableValues);
    const access: RootAccess = { field: field.name, subjects: [], caseNumbers: [], courts: [] };
    for (const arg of field.args) {
      const value = args[arg.name];
      if (value === undefined || value === null) continue;
      if (arg.name === 'court' && !isInputObjectType(getNamedType(arg.type))) access.courts.push(...[value].flat().map(String));
      else collectIdentifiers(arg.type, value, access);
    }
    roots.push(access);
  }
  return { operation, roots, coordinates: shape.coordinates };
}

function shapeOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationShape {
  let byDocument = shapes.get(schema);
  if (!byDocument) shapes.set(schema, (byDocument = new WeakMap()));
  let byName = byDocument.get(document);
  if (!byName) byDocument.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let shape = byName.get(key);
  if (!shape) byName.set(key, (shape = readShape(schema, document, operationName)));
  return shape;
}

function readShape(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationShape {
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('analyseOperation needs a document that passed validation');
  if (!schema.getRootType(operation.operation)) throw new Error(`schema has no ${operation.operation} type`);
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])),
  );
  const rootFields: FieldNode[] = [];
  const collect = (selections: OperationDefinitionNode['selectionSet']['selections']) => {
    for (const s of selections) {
      if (s.kind === 'Field') rootFields.push(s);
      else if (s.kind === 'InlineFragment') collect(s.selectionSet.selections);
      else if (fragments[s.name.value]) collect(fragments[s.name.value]!.selectionSet.selections);
    }
  };
  collect(operation.selectionSet.selections);

  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitFragments = new Set<string>();
  const walk = (node: DocumentNode | OperationDefinitionNode) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const def = typeInfo.getFieldDef();
          if (parent && def && isCompositeType(parent)) coordinates.add(`${parent.name}.${def.name}`);
        },
        FragmentSpread(spread) {
          visitFragments.add(spread.name.value);
        },
      }),
    );
  walk(operation);
  // Fragments are visited with their own type condition, once each.
  for (const name of visitFragments) {
    const fragment = fragments[name];
    if (fragment) walk({ kind: 'Document' as never, definitions: [fragment] } as DocumentNode);
  }
  return { operation, rootFields, coordinates };
}

/**
 * Subjects and case numbers anywhere in an argument's value, inside lists and input objects
 * too (a mutation's `input: { idNumber }` names its subject as surely as `person(idNumber:)`).
 */
function collectIdentifiers(type: GraphQLInputType, value: unknown, access: RootAccess): void {
  if (value === undefined || value === null) return;
  if (isNonNullType(type)) return collectIdentifiers(type.ofType, value, access);
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? value : [value]) collectIdentifiers(type.ofType, item, access);
    return;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) collectIdentifiers(field.type, fieldValue, access);
    }
    return;
  }
  if (SUBJECT_SCALARS.has(type.name)) access.subjects.push(String(value));
  else if (type.name === 'CaseNumber') access.caseNumbers.push(String(value));
}
