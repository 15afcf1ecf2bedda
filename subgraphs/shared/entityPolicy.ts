import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
  Kind,
} from 'graphql';
import { ASSET_TYPES, CASE_DEBTOR_POLICY } from '../../schemas/assetData';
import { signedOf, type SignedRequest } from './signedRequest';
import { fieldDenied } from '../../lib/errors/accessDenied';

/** Who holds an asset an entity of this type is: ID numbers and credit codes. */
export type HoldersOf = (asset: never) => readonly string[];

export interface EntityPolicyOptions {
  /**
   * For every asset type (schemas/assetData.ts ASSET_TYPES) this subgraph resolves as an
   * entity (`__resolveReference`): who holds one. Without it the subgraph refuses to start,
   * so no asset can be resolved through `_entities` for someone who is no debtor.
   * @default none
   */
  assetHolders?: Readonly<Record<string, HoldersOf>>;
}

/** Whose asset a field of `type` is about, read off the parent object without asking anyone. */
type SubjectsOf = (parent: unknown) => readonly string[];

/**
 * Applies the debtor rule in the subgraph that would ask the agency, on every path:
 * - a field with `@policy(policies: [["case_debtor"]])` answers only when the party it is
 *   about is a debtor the gateway signed for the request's case: for Person and Company
 *   fields the entity itself, for a measure's asset field the debtor its notice names
 *   (`partyKey`); for anyone else it is null with FORBIDDEN NOT_A_DEBTOR before its resolver
 *   runs, so the agency is never asked;
 * - an asset entity resolved through `_entities` is answered only when a debtor holds it.
 * The gateway decides who the debtors are (it checked the case against the court case
 * system); here only identities are compared. A guarded field whose parent's party this
 * cannot tell, or an asset entity with no `assetHolders`, stops the subgraph at start.
 */
export function enforceEntityPolicies(schema: GraphQLSchema, options: EntityPolicyOptions = {}): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!hasCaseDebtorPolicy(field.astNode?.directives ?? [])) continue;
      const subjectsOf = subjectsReader(type);
      const coordinate = `${type.name}.${field.name}`;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        requireDebtor(signedOf(context), subjectsOf(parent), coordinate);
        return resolve(parent, args, context, info);
      };
    }
    if (ASSET_TYPES.has(type.name)) guardReference(type, options.assetHolders?.[type.name]);
  }
  return schema;
}

/** The debtor rule's refusal: the same whether the asset exists or not. */
function notADebtor(coordinate: string, signed: SignedRequest | undefined): GraphQLError {
  const caseNumber = signed?.caseNumber;
  return fieldDenied('NOT_A_DEBTOR', `${coordinate} is answered only for debtors of the case the request states${caseNumber ? ` (${caseNumber})` : ''}.`, { field: coordinate });
}

/** The signed debtors as a set, made once per request: a sweep checks thousands of fields against up to 1000 debtors. */
const debtorSets = new WeakMap<object, ReadonlySet<string>>();

function requireDebtor(signed: SignedRequest | undefined, subjects: readonly string[], coordinate: string): void {
  let debtors = signed && debtorSets.get(signed);
  if (!debtors) {
    debtors = new Set(signed?.caseNumber ? (signed.debtors ?? []) : []);
    if (signed) debtorSets.set(signed, debtors);
  }
  if (!subjects.some((s) => debtors.has(s))) throw notADebtor(coordinate, signed);
}

function subjectsReader(type: GraphQLObjectType): SubjectsOf {
  const fields = type.getFields();
  if (fields.idNumber || fields.creditCode) return (parent) => keyOf(parent);
  if (type.getInterfaces().some((i) => i.name === 'ControlMeasure')) {
    // Measures older than partyKey name no debtor: their asset stays closed.
    return (parent) => {
      const partyKey = (parent as { partyKey?: unknown } | null)?.partyKey;
      return typeof partyKey === 'string' ? [partyKey] : [];
    };
  }
  throw new Error(
    `${type.name} has a field with @policy(case_debtor), but the subgraph cannot tell whose asset a ${type.name} is about: ` +
      'put the rule on a field of Person, Company or a ControlMeasure, or teach entityPolicy.ts to read its party.',
  );
}

/**
 * Wraps an asset entity's reference resolver: an asset no signed debtor holds resolves to
 * an error, never to its data. Its resolver should find the asset among the debtors' own
 * holdings, so no agency is asked about a stranger's asset either.
 */
function guardReference(type: GraphQLObjectType, holdersOf: HoldersOf | undefined): void {
  const extensions = type.extensions as { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } };
  const resolveReference = extensions.apollo?.subgraph?.resolveReference;
  if (!resolveReference) return;
  if (!holdersOf) {
    throw new Error(`${type.name} is asset data resolved through _entities: give enforceEntityPolicies its assetHolders, so it answers only for debtors.`);
  }
  const checked: ReferenceResolver = async (reference, context, info) => {
    const signed = signedOf(context);
    if (!signed?.caseNumber || !signed.debtors?.length) throw notADebtor(type.name, signed);
    const asset = await resolveReference(reference, context, info);
    // No such asset and a stranger's asset answer alike: the graph is no existence oracle.
    if (asset === null || asset === undefined) throw notADebtor(type.name, signed);
    requireDebtor(signed, holdersOf(asset as never), type.name);
    return asset;
  };
  (type as { extensions: unknown }).extensions = {
    ...type.extensions,
    apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: checked } },
  };
}

type ReferenceResolver = (reference: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;

type Directive = { name: { value: string }; arguments?: readonly { name: { value: string }; value: { kind: string } }[] };

function hasCaseDebtorPolicy(directives: readonly Directive[]): boolean {
  return directives.some((d) => {
    if (d.name.value !== 'policy') return false;
    const value = d.arguments?.find((a) => a.name.value === 'policies')?.value as
      | { kind: string; values?: { kind: string; values?: { kind: string; value?: string }[] }[] }
      | undefined;
    return (value?.values ?? []).some((all) => (all.values ?? []).some((p) => p.kind === Kind.STRING && p.value === CASE_DEBTOR_POLICY));
  });
}

function keyOf(parent: unknown): string[] {
  const p = parent as { idNumber?: unknown; creditCode?: unknown } | null;
  const key = p?.idNumber ?? p?.creditCode;
  return typeof key === 'string' ? [key] : [];
}
