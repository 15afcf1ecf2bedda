import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { readSupergraph, type SupergraphReadings } from './apiSchema';
import { type AuditedOperationCheck, checkAuditedOperations, type RecordedOperation } from './auditedOperations';
import { composeCandidate } from './candidateSupergraph';
import { type CourtOperation, type OperationValidation, validateOperations } from './operationValidation';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs';

/**
 * `npm run schema:check` (bin/schemaCheck.ts): what a change to the subgraph SDL files does to
 * courts before it is proposed. The files are composed into a candidate supergraph; its API
 * schema is diffed with the committed supergraph's by @graphql-inspector/core, and every court
 * operation that matters is validated against it.
 *
 * Attribution: both supergraphs are split back into their subgraphs by federation's own
 * extraction, and each subgraph's part is diffed on its own. A change to the API schema is laid
 * to the subgraphs whose part changed at the same path (or, when none did, at a path inside it
 * or around it: a type removed whole). Both sides are read by the same extraction, so the
 * committed side needs no copy of the SDL files it was composed from, and a subgraph whose file
 * did not change shows no difference of its own.
 */

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  level: ChangeLevel;
  /** @graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Schema coordinate, e.g. `Vehicle.plateNumber`; schema-wide changes have none. */
  path: string | undefined;
  message: string;
  /** The subgraphs whose SDL introduced it; empty when none can be told. */
  subgraphs: SubgraphName[];
}

export interface SchemaCheckOptions {
  /** The directory of subgraph SDL files. @default schemas/ */
  dir?: string;
  /** The supergraph the candidate is held against. @default `<dir>/supergraph.graphql` */
  against?: string;
  /** The operations that must stay valid (documented, examples). */
  operations: readonly CourtOperation[];
  /** The audit log's operations, when a log was given. */
  recorded?: readonly RecordedOperation[];
}

export interface SchemaCheckReport {
  dir: string;
  against: string;
  /** Why the candidate does not compose; empty when it does. */
  compositionErrors: string[];
  changes: SchemaChange[];
  operations: OperationValidation[];
  audited: AuditedOperationCheck[] | undefined;
  /** Composes, no breaking change, every operation valid, no audited operation reaching a field that is gone. */
  passed: boolean;
}

const LEVELS: Record<CriticalityLevel, ChangeLevel> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

export async function checkSchema(options: SchemaCheckOptions): Promise<SchemaCheckReport> {
  const dir = options.dir ?? __dirname;
  const against = options.against ?? join(dir, 'supergraph.graphql');
  const base = readSupergraph(readFileSync(against, 'utf8'));
  const candidate = composeCandidate(dir);
  if (!candidate.ok) {
    return { dir, against, compositionErrors: candidate.messages, changes: [], operations: [], audited: undefined, passed: false };
  }
  const readings = readSupergraph(candidate.supergraphSdl);
  const changes = await attributedChanges(base, readings);
  const operations = validateOperations(readings.api, options.operations);
  const audited = options.recorded && checkAuditedOperations(readings.api, options.recorded, operations);
  const passed =
    changes.every((c) => c.level !== 'breaking') &&
    operations.every((o) => o.errors.length === 0) &&
    (audited ?? []).every((a) => a.missingFields.length === 0);
  return { dir, against, compositionErrors: [], changes, operations, audited, passed };
}

async function attributedChanges(base: SupergraphReadings, candidate: SupergraphReadings): Promise<SchemaChange[]> {
  const apiChanges = await diff(base.api, candidate.api);
  if (apiChanges.length === 0) return [];
  const own = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => ({ name, paths: pathsOf(await diff(orNull(base.subgraphs.get(name)), orNull(candidate.subgraphs.get(name)))) })),
  );
  return apiChanges.map((change) => {
    const path = change.path;
    const exact = own.filter((s) => s.paths.has(path ?? ''));
    const near = path === undefined ? [] : own.filter((s) => [...s.paths].some((p) => p.startsWith(`${path}.`) || path.startsWith(`${p}.`)));
    return {
      level: LEVELS[change.criticality.level],
      type: String(change.type),
      path,
      message: change.message,
      subgraphs: (exact.length > 0 ? exact : near).map((s) => s.name),
    };
  });
}

// A subgraph new to the registry has no part in the committed supergraph, and one removed none in the candidate.
function orNull(schema: GraphQLSchema | undefined): GraphQLSchema | null {
  return schema ?? null;
}

function pathsOf(changes: readonly Change[]): Set<string> {
  return new Set(changes.map((c) => c.path ?? ''));
}
