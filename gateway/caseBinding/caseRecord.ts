import {
  buildASTSchema,
  type DocumentNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';
import { z } from 'zod';
import { loadSubgraphSdl } from '../../schemas/loadSubgraphSdl';

/**
 * The case record: what the court subgraph tells of a case, read off its SDL
 * (schemas/court.graphql) at start-up, so that the binding's query, the model of its answer
 * and the court subgraph cannot drift apart. The record is every field of `EnforcementCase`,
 * and of the types below it, that takes no arguments, with `__typename` at every level (type
 * conditions are decided by it). A field with arguments (`Person.enforcementCases`) or one
 * leading back to a type above it is a walk to other records, not part of this one.
 *
 * The binding check reads only a few fields (BINDING_READS); a query plan's own ask for the
 * case is answered from the whole record (caseRecordAnswers.ts).
 */

/** What the binding check reads: required in every answer, and in the SDL (or the gateway does not start). */
const BINDING_READS = ['caseNumber', 'status', 'court.code', 'outstanding', 'debtors', 'applicants'];

/** Money is read into fen by the binding (decimalToFen): yuan as a decimal string. */
const MONEY = /^\d+(\.\d{1,2})?$/;

/** A party as the binding reads it: its key, whichever kind it is. */
export interface PartyKeys {
  idNumber?: string;
  creditCode?: string;
}

/** The court subgraph's answer to the record query, as far as the binding reads it. */
export interface CaseRecordAnswer {
  data: {
    case: {
      caseNumber: string;
      status: 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
      court: { code: string };
      outstanding: string;
      debtors: PartyKeys[];
      applicants: PartyKeys[];
    } | null;
  };
  /** The court subgraph answers `case: null` plus an error when the court case system failed. */
  errors?: { message: string }[];
}

export interface CaseRecord {
  /** The query the binding sends for a case (variable `$caseNumber`); its `case` answer is the record. */
  query: string;
  /** The model of the court subgraph's answer to `query`. */
  answer: z.ZodType<CaseRecordAnswer>;
}

interface Level {
  /** The selection set, or '' for a leaf. */
  selection: string;
  model: z.ZodType;
}

/** The case record of a court subgraph SDL; throws when it lacks a field the binding reads. */
export function caseRecordOf(sdl: DocumentNode): CaseRecord {
  // Federation's directives are not defined in the file; nothing here depends on them.
  const schema = buildASTSchema(sdl, { assumeValidSDL: true });
  const kase = schema.getType('EnforcementCase');
  if (!isObjectType(kase)) throw new Error('The court SDL has no object type EnforcementCase.');
  for (const read of BINDING_READS) {
    let type: GraphQLOutputType = kase;
    for (const name of read.split('.')) {
      const field: GraphQLField<unknown, unknown> | undefined = isObjectType(named(type)) ? (named(type) as GraphQLObjectType).getFields()[name] : undefined;
      if (!field || field.args.length > 0) throw new Error(`The case binding reads EnforcementCase.${read}, which the court SDL does not give without arguments.`);
      type = field.type;
    }
  }
  const record = objectLevel(kase, [], '');
  return {
    query: `query CaseRecord($caseNumber: CaseNumber!) { case(caseNumber: $caseNumber) ${record.selection} }`,
    answer: z.object({
      data: z.object({ case: record.model.nullable() }),
      errors: z.array(z.object({ message: z.string() }).passthrough()).optional(),
    }) as unknown as z.ZodType<CaseRecordAnswer>,
  };
}

/** An object type's record fields; those the binding reads below `path` are required, the others may be missing (a fetch asking for one then goes out). */
function objectLevel(type: GraphQLObjectType, above: readonly string[], path: string): Level {
  const parts = ['__typename'];
  const shape: Record<string, z.ZodType> = { __typename: z.literal(type.name).optional() };
  for (const field of Object.values(type.getFields())) {
    if (field.args.length > 0) continue;
    const at = path === '' ? field.name : `${path}.${field.name}`;
    const level = fieldLevel(field.type, [...above, type.name], at);
    if (!level) continue;
    parts.push(level.selection === '' ? field.name : `${field.name} ${level.selection}`);
    shape[field.name] = BINDING_READS.some((read) => read === at || read.startsWith(`${at}.`)) ? level.model : level.model.optional();
  }
  return { selection: `{ ${parts.join(' ')} }`, model: z.object(shape) };
}

function fieldLevel(type: GraphQLOutputType, above: readonly string[], path: string): Level | undefined {
  const required = isNonNullType(type);
  const level = nullableLevel(required ? type.ofType : type, above, path);
  return level && (required ? level : { selection: level.selection, model: level.model.nullable() });
}

function nullableLevel(type: GraphQLOutputType, above: readonly string[], path: string): Level | undefined {
  if (isListType(type)) {
    const item = fieldLevel(type.ofType, above, path);
    return item && { selection: item.selection, model: z.array(item.model) };
  }
  if (isNonNullType(type)) return undefined; // Not in a valid SDL: NonNull wraps nullable types only.
  // A type already above this field leads back (a party's cases): another record, not this one.
  if (above.includes(type.name)) return undefined;
  if (isScalarType(type)) return { selection: '', model: scalarModel(type.name) };
  if (isEnumType(type)) return { selection: '', model: z.enum(type.getValues().map((v) => v.name) as [string, ...string[]]) };
  if (isObjectType(type)) return objectLevel(type, above, path);
  if (isUnionType(type)) {
    const members = type.getTypes();
    const parts = ['__typename'];
    const shape: Record<string, z.ZodType> = {};
    for (const member of members) {
      const level = objectLevel(member, above, path);
      parts.push(`... on ${member.name} ${level.selection}`);
      Object.assign(shape, (level.model as z.ZodObject).shape);
    }
    // A party without its __typename is still read for its key: each member's fields are optional here.
    shape.__typename = z.enum(members.map((m) => m.name) as [string, ...string[]]);
    return { selection: `{ ${parts.join(' ')} }`, model: z.object(Object.fromEntries(Object.entries(shape).map(([k, m]) => [k, m.optional()]))) };
  }
  // An interface cannot be told apart by __typename alone: the subgraph answers it.
  return undefined;
}

/** Every custom scalar of the court SDL is a string on the wire (schemas/scalars). */
function scalarModel(name: string): z.ZodType {
  if (name === 'Int') return z.number().int();
  if (name === 'Float') return z.number();
  if (name === 'Boolean') return z.boolean();
  return name === 'Money' ? z.string().regex(MONEY) : z.string();
}

function named(type: GraphQLOutputType): GraphQLOutputType {
  return isNonNullType(type) || isListType(type) ? named(type.ofType) : type;
}

/** The court subgraph's case record, as schemas/court.graphql gives it. */
export const CASE_RECORD = caseRecordOf(loadSubgraphSdl('court'));

/** The query the binding sends for a case; its `case` answer is the record. */
export const CASE_RECORD_QUERY = CASE_RECORD.query;
