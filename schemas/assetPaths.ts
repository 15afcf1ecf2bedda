import {
  buildASTSchema,
  type ConstDirectiveNode,
  type DocumentNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  parse,
} from 'graphql';
import { ASSET_TYPES, carriesDebtorRule, type DirectiveRule, NOT_ASSET_DATA, SUBGRAPHS_WITHOUT_ASSET_DATA } from './assetData';

/** One step of a walk: a field of a type, entered (for an abstract parent) through a type condition. */
export interface PathStep {
  /** The concrete type the field is selected on. */
  on: string;
  field: string;
}

/** Where a walk starts: a root type (or one field of it), or an entity resolved through `_entities`. */
export type PathStart = { root: 'Query' | 'Mutation'; field?: string } | { entity: string };

export interface AssetPath {
  start: PathStart;
  steps: PathStep[];
}

export interface AssetDataFinding {
  kind: 'UNGUARDED_PATH' | 'UNCLASSIFIED' | 'STALE_CATALOG';
  /** The type or field coordinate concerned. */
  coordinate: string;
  message: string;
}

interface Join {
  /** Supergraph graph names (BANK, COURT, …) per type and its keys there. */
  types: Map<string, { graph: string; keys: Set<string>; resolvable: boolean }[]>;
  /** Graphs that resolve each field coordinate (not as @external). */
  fields: Map<string, string[]>;
}

/**
 * Checks a supergraph against the asset-data catalog (schemas/assetData.ts):
 * - UNGUARDED_PATH: some walk from a root field, or from an entity a subgraph resolves
 *   through `_entities`, reaches a field of an asset type without passing a field that
 *   carries the debtor rule (`rules`: the access rules read off the supergraph);
 * - UNCLASSIFIED: a type or field an agency subgraph answers is neither asset data, nor
 *   guarded by the debtor rule, nor listed as not asset data;
 * - STALE_CATALOG: the catalog names what the supergraph does not have.
 * An entity that is itself an asset type is not a start: its subgraph resolves it only for a
 * debtor of the signed case (subgraphs/shared/entityPolicy.ts refuses to start otherwise).
 */
export function checkAssetData(supergraphSdl: string, rules: ReadonlyMap<string, DirectiveRule>): AssetDataFinding[] {
  const document = parse(supergraphSdl);
  const schema = supergraphSchema(document);
  const join = readJoin(document);
  const guarded = (coordinate: string) => carriesDebtorRule(rules.get(coordinate));
  const findings: AssetDataFinding[] = [];

  const reported = new Set<string>();
  for (const path of walks(schema, join, guarded)) {
    const last = path.steps[path.steps.length - 1]!;
    // One finding per asset type, on its shortest unguarded walk.
    if (!ASSET_TYPES.has(last.on) || reported.has(last.on)) continue;
    reported.add(last.on);
    findings.push({
      kind: 'UNGUARDED_PATH',
      coordinate: `${last.on}.${last.field}`,
      message: `${describePath(path)} reaches asset data (${last.on}) with no field on the way carrying @requiresScopes(scopes: [["query"]]) @policy(policies: [["case_debtor"]]).`,
    });
  }

  for (const [coordinate, graphs] of join.fields) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const agencies = graphs.filter((g) => !SUBGRAPHS_WITHOUT_ASSET_DATA.has(g));
    if (agencies.length === 0) continue;
    if (ASSET_TYPES.has(typeName) || guarded(coordinate) || NOT_ASSET_DATA[coordinate] || NOT_ASSET_DATA[typeName]) continue;
    const isKey = agencies.every((g) => join.types.get(typeName)?.find((t) => t.graph === g)?.keys.has(fieldName));
    if (isKey) continue;
    findings.push({
      kind: 'UNCLASSIFIED',
      coordinate,
      message: `${coordinate} is answered by ${agencies.join(', ')} but is neither asset data (ASSET_TYPES), nor guarded by the debtor rule, nor listed in NOT_ASSET_DATA (schemas/assetData.ts): say which it is.`,
    });
  }

  for (const name of [...ASSET_TYPES, ...Object.keys(NOT_ASSET_DATA)]) {
    const [typeName, fieldName] = name.split('.') as [string, string | undefined];
    const type = schema.getType(typeName);
    const exists = type && (fieldName === undefined || (isCompositeType(type) && 'getFields' in type && fieldName in type.getFields()));
    if (!exists) findings.push({ kind: 'STALE_CATALOG', coordinate: name, message: `schemas/assetData.ts names ${name}, which the supergraph does not have.` });
  }
  return findings;
}

/**
 * For each field that carries the debtor rule, one shortest walk from `start` to it through
 * fields that do not (so the walk reaches that field and not an earlier guard). Fields no
 * walk from `start` reaches are absent. Used to generate the queries that prove each guard
 * through the running stack.
 */
export function walksToGuards(
  supergraphSdl: string,
  rules: ReadonlyMap<string, DirectiveRule>,
  start: PathStart,
  /** Fields not to walk through (e.g. to reach parties through `debtors`, not `applicants`). */
  avoid: ReadonlySet<string> = new Set(),
): Map<string, AssetPath> {
  const document = parse(supergraphSdl);
  const schema = supergraphSchema(document);
  const guarded = (coordinate: string) => carriesDebtorRule(rules.get(coordinate));
  const found = new Map<string, AssetPath>();
  for (const path of walksFrom(schema, start, guarded, true, avoid)) {
    const last = path.steps[path.steps.length - 1]!;
    const coordinate = `${last.on}.${last.field}`;
    if (guarded(coordinate) && !found.has(coordinate)) found.set(coordinate, path);
  }
  return found;
}

/** A path as a reader writes it: `Query.cases > EnforcementCaseConnection.edges > ...`. */
export function describePath(path: AssetPath): string {
  const start = 'root' in path.start ? '' : `_entities(${path.start.entity}) > `;
  return start + path.steps.map((s) => `${s.on}.${s.field}`).join(' > ');
}

function supergraphSchema(document: DocumentNode): GraphQLSchema {
  return buildASTSchema(document, { assumeValidSDL: true });
}

/** Every walk from every start, breadth first, each type entered once per start. */
function walks(schema: GraphQLSchema, join: Join, guarded: (coordinate: string) => boolean): AssetPath[] {
  const starts: PathStart[] = [{ root: 'Query' }, { root: 'Mutation' }];
  for (const [typeName, graphs] of join.types) {
    if (graphs.some((g) => g.keys.size > 0 && g.resolvable) && !ASSET_TYPES.has(typeName)) starts.push({ entity: typeName });
  }
  return starts.flatMap((start) => walksFrom(schema, start, guarded, false));
}

/**
 * Breadth-first over the fields of composite types, never through a guarded field (a walk may
 * end on one when `endOnGuards`). Each type is expanded once per start, so each walk is a
 * shortest one to where it ends.
 */
function walksFrom(
  schema: GraphQLSchema,
  start: PathStart,
  guarded: (coordinate: string) => boolean,
  endOnGuards: boolean,
  avoid: ReadonlySet<string> = new Set(),
): AssetPath[] {
  const first = 'root' in start ? schema.getType(start.root) : schema.getType(start.entity);
  if (!first || !isCompositeType(first)) return [];
  const out: AssetPath[] = [];
  const seen = new Set<string>();
  let frontier: { type: GraphQLCompositeType; steps: PathStep[] }[] = [{ type: first, steps: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { type, steps } of frontier) {
      for (const concrete of concreteTypes(schema, type)) {
        if (seen.has(concrete.name)) continue;
        seen.add(concrete.name);
        for (const field of Object.values(concrete.getFields()) as GraphQLField<unknown, unknown>[]) {
          if (field.name.startsWith('__')) continue;
          if (steps.length === 0 && 'root' in start && start.field !== undefined && field.name !== start.field) continue;
          if (avoid.has(`${concrete.name}.${field.name}`)) continue;
          const path = { start, steps: [...steps, { on: concrete.name, field: field.name }] };
          const isGuard = guarded(`${concrete.name}.${field.name}`);
          if (isGuard && !endOnGuards) continue;
          out.push(path);
          const target = getNamedType(field.type);
          if (!isGuard && isCompositeType(target)) next.push({ type: target, steps: path.steps });
        }
      }
    }
    frontier = next;
  }
  return out;
}

function concreteTypes(schema: GraphQLSchema, type: GraphQLCompositeType) {
  if (isAbstractType(type)) return schema.getPossibleTypes(type).filter(isObjectType);
  return isObjectType(type) ? [type] : [];
}

function readJoin(document: DocumentNode): Join {
  const types: Join['types'] = new Map();
  const fields: Join['fields'] = new Map();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeName = definition.name.value;
    if (typeName.startsWith('join__') || typeName.startsWith('link__')) continue;
    const joined = (definition.directives ?? []).filter((d) => d.name.value === 'join__type').map((d) => ({
      graph: enumArgument(d, 'graph')!,
      keys: new Set((stringArgument(d, 'key') ?? '').split(/[^A-Za-z0-9_]+/).filter(Boolean)),
      resolvable: booleanArgument(d, 'resolvable') ?? true,
    }));
    types.set(typeName, joined);
    for (const field of definition.fields ?? []) {
      const joinFields = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const graphs =
        joinFields.length === 0
          ? joined.map((j) => j.graph)
          : joinFields.filter((d) => !booleanArgument(d, 'external')).flatMap((d) => enumArgument(d, 'graph') ?? []);
      fields.set(`${typeName}.${field.name.value}`, [...new Set(graphs)]);
    }
  }
  return { types, fields };
}

function argument(directive: ConstDirectiveNode, name: string) {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}
function enumArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.ENUM ? value.value : undefined;
}
function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.STRING ? value.value : undefined;
}
function booleanArgument(directive: ConstDirectiveNode, name: string): boolean | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.BOOLEAN ? value.value : undefined;
}
