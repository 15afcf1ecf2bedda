/**
 * Builds query plans for known operations before the first request, without executing them:
 * no subgraph or agency is called and nothing is audited.
 *
 * What is public: ApolloGateway takes its plan cache in `queryPlannerConfig.cache`
 * (QueryPlanStore), and `QueryPlanner` / `Supergraph` / `operationFromDocument` are the
 * exports gateway-js itself plans with. What is NOT public is how ApolloGateway keys that
 * cache; `planStoreKey` copies it from @apollo/gateway 2.14 (`ApolloGateway#executor`).
 * test/integration/gateway/queryPlanWarmup.test.ts runs a warmed operation through a real gateway
 * and fails if the gateway does not find the plan under this key, so an upgrade that changes
 * the key is caught there and not in production as a silent cold start.
 */
import { createHash } from 'node:crypto';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlannerConfig } from '@apollo/query-planner';
import { type DocumentNode, type GraphQLSchema, Kind, parse, validate } from 'graphql';
import type { QueryPlanStore } from './queryPlanStore';

/**
 * The key ApolloGateway stores a plan under: the SHA-256 of the query text (Apollo Server's
 * `queryHash`), and with an operation name in the request, the SHA-256 of that hash and the name.
 */
export function planStoreKey(query: string, operationName: string | null | undefined): string {
  const queryHash = createHash('sha256').update(query).digest('hex');
  return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}

export interface WarmUpReport {
  /** Operations planned, by name (`(anonymous)` for an unnamed one). */
  warmed: string[];
  /** Operations this supergraph cannot run (e.g. the court operations on another graph), with why. */
  skipped: { operation: string; reason: string }[];
  ms: number;
}

/**
 * Apollo's planner safety checks, as `QueryPlanner#buildQueryPlan` takes them. ApolloGateway
 * reads them from APOLLO_DISABLE_SECURITY_* itself; GatewayConfig.plannerChecks carries the same.
 */
export interface PlannerChecks {
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
}

export interface WarmUpOptions {
  /** The supergraph ApolloGateway was given. */
  supergraphSdl: string;
  /** The API schema requests are validated against (from `onSchemaLoadOrUpdate`). */
  schema: GraphQLSchema;
  store: QueryPlanStore;
  operations: readonly string[];
  /** The `queryPlannerConfig` ApolloGateway was given, so the plans are the ones it would build. */
  plannerConfig?: QueryPlannerConfig;
  /** The checks ApolloGateway plans under (GatewayConfig.plannerChecks). @default both on */
  checks?: PlannerChecks;
}

/**
 * Plans each operation (every operation of each document) and stores the plan under the keys
 * a request for it is looked up by: with its operation name, and without one when it is the
 * document's only operation. Operations that do not validate against the schema are skipped.
 */
export function warmQueryPlans(options: WarmUpOptions): WarmUpReport {
  const started = performance.now();
  const report: WarmUpReport = { warmed: [], skipped: [], ms: 0 };
  const planned: { text: string; document: DocumentNode }[] = [];
  for (const text of options.operations) {
    const name = firstOperationName(text);
    try {
      const document = parse(text);
      const errors = validate(options.schema, document);
      if (errors.length > 0) {
        report.skipped.push({ operation: name, reason: errors[0]!.message });
        continue;
      }
      planned.push({ text, document });
    } catch (error) {
      report.skipped.push({ operation: name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (planned.length > 0) {
    // A planner of its own, on the same supergraph and configuration: ApolloGateway's is not
    // reachable through a public API, and a plan is plain data (gateway-js can keep plans in
    // an external cache), so either planner's plan serves.
    const supergraph = Supergraph.build(options.supergraphSdl);
    const apiSchema = supergraph.apiSchema();
    const planner = new QueryPlanner(supergraph, options.plannerConfig);
    // A plan built without a check ApolloGateway applies would let a cached plan skip it.
    const checks = options.checks ?? { recursiveSelectionsLimitDisabled: false, nonLocalSelectionsLimitDisabled: false };
    for (const { text, document } of planned) {
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      for (const definition of operations) {
        const operationName = definition.name?.value;
        try {
          const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }), checks);
          if (operationName !== undefined) options.store.put(planStoreKey(text, operationName), plan);
          if (operations.length === 1) options.store.put(planStoreKey(text, undefined), plan);
          report.warmed.push(operationName ?? '(anonymous)');
        } catch (error) {
          report.skipped.push({ operation: operationName ?? '(anonymous)', reason: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  report.ms = performance.now() - started;
  return report;
}

function firstOperationName(text: string): string {
  return /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(text)?.[1] ?? '(anonymous)';
}
