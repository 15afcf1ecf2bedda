import {
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  parse,
} from 'graphql';
import { checkCaseNumber } from '../../schemas/identifiers';

/**
 * The plan's ask for the request's own case, answered from the case record the gateway
 * already holds.
 *
 * Before a case-bound operation runs, the gateway reads the stated case from the court
 * subgraph (caseDirectory.ts). A dossier's query plan then starts by asking the court
 * subgraph for that same case. When everything that first fetch selects was in the record
 * the gateway was given, this answers it from the record: the same values the court subgraph
 * gave for the same case moments earlier in the same request, without a second round trip
 * to it (the step answerFromCaseRecord.ts puts this into every court subgraph call).
 *
 * Only what is provably held is answered: a fetch whose every root field is `case` for the
 * checked case number, selecting, with no arguments and no directives, only fields and type
 * conditions the record's query selected. Anything else (another root field, a field with
 * arguments, `@include`, a fragment spread, a type the record does not tell apart) is sent to
 * the court subgraph as usual. This rests on the court subgraph answering a case's record
 * fields alike whoever asks (it has no per-caller fields; test/integration/gateway/caseRecordAnswers.test.ts
 * compares both ways through the whole stack).
 */

/** What a record's query selected at one level: fields (leaf or nested) and type conditions. */
interface Held {
  fields: Map<string, Held | 'leaf'>;
  types: Map<string, Held>;
}

/** How a fetch's selection set is read off a held record. */
type Step =
  | { kind: 'field'; key: string; name: string; sub: Step[] | undefined }
  | { kind: 'on'; type: string | undefined; sub: Step[] };

interface Plan {
  /** Result key (alias or `case`) and where its case number comes from. */
  roots: { key: string; caseNumber: ValueNode; sub: Step[] }[];
}

/** Thrown inside a projection when the record lacks something: the fetch goes out instead. */
const NOT_HELD = Symbol('not held');

export class CaseRecordAnswers {
  private readonly held: Held;
  /** Plans by fetch text (gateway-js writes the same text for the same plan); null: not answerable. */
  private readonly plans = new Map<string, Plan | null>();
  private answeredCount = 0;

  /**
   * @param recordQuery the query whose `case` answer is the record (its `case` field's selection
   *   is what the record holds; every object level should select `__typename`).
   */
  constructor(
    recordQuery: string | DocumentNode,
    private readonly maxPlans = 500,
  ) {
    const document = typeof recordQuery === 'string' ? parse(recordQuery) : recordQuery;
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const caseField = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === 'case');
    if (caseField?.kind !== Kind.FIELD || !caseField.selectionSet) throw new Error('The case record query must select `case { ... }`.');
    this.held = heldBy(caseField.selectionSet);
  }

  /** Fetches answered from a record so far. */
  get answered(): number {
    return this.answeredCount;
  }

  /**
   * The subgraph answer to `query` for `caseNumber`, read from `record` (the court subgraph's
   * answer to the record query for that case), or undefined when the fetch asks for anything
   * the record does not hold.
   */
  answer(
    query: string,
    variables: Readonly<Record<string, unknown>> | undefined,
    caseNumber: string,
    record: unknown,
  ): { data: Record<string, unknown> } | undefined {
    if (record === null || typeof record !== 'object') return undefined;
    const plan = this.planFor(query);
    if (!plan) return undefined;
    const data: Record<string, unknown> = {};
    try {
      for (const root of plan.roots) {
        if (caseNumberOf(root.caseNumber, variables) !== caseNumber) return undefined;
        const value = project(record, root.sub);
        data[root.key] = root.key in data ? merged(data[root.key], value) : value;
      }
    } catch (error) {
      if (error === NOT_HELD) return undefined;
      throw error;
    }
    this.answeredCount += 1;
    return { data };
  }

  private planFor(query: string): Plan | null {
    let plan = this.plans.get(query);
    if (plan === undefined) {
      plan = planOf(query, this.held);
      // Oldest first out: a Map iterates in insertion order.
      if (this.plans.size >= this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(query, plan);
    }
    return plan;
  }
}

function heldBy(selectionSet: SelectionSetNode): Held {
  const held: Held = { fields: new Map(), types: new Map() };
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      held.fields.set(s.name.value, s.selectionSet ? heldBy(s.selectionSet) : 'leaf');
    } else if (s.kind === Kind.INLINE_FRAGMENT && s.typeCondition) {
      held.types.set(s.typeCondition.name.value, heldBy(s.selectionSet));
    }
  }
  return held;
}

function planOf(query: string, held: Held): Plan | null {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  if (document.definitions.length !== 1) return null;
  const [operation] = document.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || operation.directives?.length) return null;
  const roots: Plan['roots'] = [];
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD || s.name.value !== 'case' || s.directives?.length || !s.selectionSet) return null;
    const args = s.arguments ?? [];
    if (args.length !== 1 || args[0]!.name.value !== 'caseNumber') return null;
    const sub = stepsOf(s.selectionSet, held);
    if (!sub) return null;
    roots.push({ key: s.alias?.value ?? 'case', caseNumber: args[0]!.value, sub });
  }
  return roots.length > 0 ? { roots } : null;
}

function stepsOf(selectionSet: SelectionSetNode, held: Held): Step[] | undefined {
  const steps: Step[] = [];
  for (const s of selectionSet.selections) {
    if (s.directives?.length) return undefined;
    if (s.kind === Kind.FIELD) {
      if (s.arguments?.length) return undefined;
      const name = s.name.value;
      const key = s.alias?.value ?? name;
      // Every level of the record carries its __typename (checked when read).
      if (name === '__typename') {
        if (s.selectionSet) return undefined;
        steps.push({ kind: 'field', key, name, sub: undefined });
        continue;
      }
      const inner = held.fields.get(name);
      if (inner === undefined) return undefined;
      if (inner === 'leaf') {
        if (s.selectionSet) return undefined;
        steps.push({ kind: 'field', key, name, sub: undefined });
      } else {
        if (!s.selectionSet) return undefined;
        const sub = stepsOf(s.selectionSet, inner);
        if (!sub) return undefined;
        steps.push({ kind: 'field', key, name, sub });
      }
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const type = s.typeCondition?.name.value;
      // Only the concrete types the record itself tells apart: a condition on an abstract type
      // (or on any other) could not be decided from __typename alone.
      const inner = type === undefined ? held : held.types.get(type);
      if (!inner) return undefined;
      const sub = stepsOf(s.selectionSet, inner);
      if (!sub) return undefined;
      steps.push({ kind: 'on', type, sub });
    } else {
      return undefined; // A fragment spread: gateway-js does not write them by default; not worth reading here.
    }
  }
  return steps;
}

function caseNumberOf(value: ValueNode, variables: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const raw = value.kind === Kind.VARIABLE ? variables?.[value.name.value] : value.kind === Kind.STRING ? value.value : undefined;
  if (typeof raw !== 'string') return undefined;
  const checked = checkCaseNumber(raw);
  return checked.ok ? checked.value : undefined;
}

function project(value: unknown, steps: Step[]): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, steps));
  if (typeof value !== 'object') throw NOT_HELD;
  const out: Record<string, unknown> = {};
  apply(out, value as Record<string, unknown>, steps);
  return out;
}

function apply(out: Record<string, unknown>, record: Record<string, unknown>, steps: Step[]): void {
  for (const step of steps) {
    if (step.kind === 'on') {
      if (step.type !== undefined) {
        if (typeof record.__typename !== 'string') throw NOT_HELD;
        if (record.__typename !== step.type) continue;
      }
      apply(out, record, step.sub);
      continue;
    }
    const value = record[step.name];
    if (value === undefined) throw NOT_HELD;
    let projected: unknown;
    if (step.sub) projected = project(value, step.sub);
    else if (value !== null && typeof value === 'object') throw NOT_HELD; // A leaf is a scalar here.
    else projected = value;
    out[step.key] = step.key in out ? merged(out[step.key], projected) : projected;
  }
}

/** The same key selected twice (in two type conditions, say): GraphQL merges the selections. */
function merged(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.map((item, i) => merged(item, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const target = a as Record<string, unknown>;
    for (const [key, value] of Object.entries(b)) target[key] = key in target ? merged(target[key], value) : value;
    return target;
  }
  return b;
}
