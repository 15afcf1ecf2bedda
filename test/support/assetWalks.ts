import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  getNamedType,
  type GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';
import { readAccessRules } from '../../gateway/authorization/accessRules';
import { type AssetPath, type PathStart, walksToGuards } from '../../schemas/assetPaths';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';

/** One generated walk: the query text, and the field (by response key) the guard answers at. */
export interface GuardWalk {
  /** The guarded field's coordinate, e.g. "DepositFreeze.account". */
  coordinate: string;
  query: string;
  /** The field names from the root to the guarded field, as they appear in an error's path. */
  fields: string[];
}

/**
 * A query per field that carries the debtor rule, walking to it from `start` on the shortest
 * unguarded walk of the supergraph, and selecting every leaf of what the guard leads to: the
 * asset data that must not come back. `rootArguments` is written after the root field.
 */
export function guardWalks(
  start: PathStart & { root: 'Query' },
  rootArguments: string,
  variables: string,
  avoid: ReadonlySet<string> = new Set(),
): GuardWalk[] {
  const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
  const walks = walksToGuards(sdl, readAccessRules(sdl).rules, start, avoid);
  return [...walks].map(([coordinate, path]) => ({
    coordinate,
    query: `query Walk${variables} { ${selection(schema, path, rootArguments)} }`,
    fields: path.steps.map((s) => s.field),
  }));
}

function selection(schema: GraphQLSchema, path: AssetPath, rootArguments: string): string {
  const [first, ...rest] = path.steps;
  let typeName = getNamedType(fieldOf(schema, first!.on, first!.field).type).name;
  const segments = [{ open: `${first!.field}${rootArguments} {`, close: '}' }];
  for (const step of rest) {
    // An abstract parent (Party) is entered through the concrete type the walk goes on.
    const entered = step.on === typeName ? { open: '', close: '' } : { open: `... on ${step.on} {`, close: '}' };
    segments.push({ open: `${entered.open} ${step.field} {`, close: `} ${entered.close}` });
    typeName = getNamedType(fieldOf(schema, step.on, step.field).type).name;
  }
  return `${segments.map((s) => s.open).join(' ')} ${leaves(schema, typeName)} ${segments.reverse().map((s) => s.close).join(' ')}`;
}

/** Every leaf field without required arguments, and the same one level into object fields. */
function leaves(schema: GraphQLSchema, typeName: string, depth = 0): string {
  const type = schema.getType(typeName);
  if (!type || !isCompositeType(type) || isAbstractType(type) || !isObjectType(type)) return '__typename';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth === 0 && isObjectType(named)) parts.push(`${field.name} { ${leaves(schema, named.name, 1)} }`);
  }
  return parts.join(' ');
}

function fieldOf(schema: GraphQLSchema, typeName: string, field: string) {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return type.getFields()[field]!;
}

/** Every value at the positions a path of field names reaches in `data` (lists walked through). */
export function valuesAt(data: unknown, fields: readonly string[]): unknown[] {
  let current: unknown[] = [data];
  for (const field of fields) {
    const next: unknown[] = [];
    for (const value of current.flat(Infinity)) {
      if (value !== null && typeof value === 'object' && field in value) next.push((value as Record<string, unknown>)[field]);
    }
    current = next;
  }
  return current;
}
