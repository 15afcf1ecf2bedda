/**
 * Every span name, tracer scope and attribute key this project writes, in one place (as the
 * metrics' names live in their registry): what a trace backend shows is read off this file.
 * Attribute keys follow the OpenTelemetry semantic conventions where one exists (stable HTTP,
 * GraphQL, URL and error keys); the project's own concepts are under `cag.`.
 */

/** The instrumentation scopes (tracer names): which part of the code made a span. */
export const TRACER = {
  /** The SERVER span of each /graphql request, gateway and subgraphs alike (lib/http/serveGraphQL.ts). */
  http: 'court-asset-graph/http',
  /** The gateway's CLIENT span of each subgraph call (gateway/transport/steps/traceSubgraphCalls.ts). */
  subgraphCalls: 'court-asset-graph/subgraph-calls',
  /** A subgraph's CLIENT span of each agency call (subgraphs/shared/agencyHttp.ts). */
  agencyCalls: 'court-asset-graph/agency-calls',
} as const;

/** The service names a process reports unless OTEL_SERVICE_NAME says otherwise. */
export const GATEWAY_SERVICE_NAME = 'court-asset-graph-gateway';
export const subgraphServiceName = (subgraph: string): string => `court-asset-graph-subgraph-${subgraph}`;

/** Span names: bounded sets, never a value of a request. */
export const SPAN = {
  /** `POST /graphql`: the server span of one request. */
  server: (method: string) => `${method} /graphql`,
  /** `subgraph bank`: the gateway's call to one subgraph. */
  subgraphCall: (subgraph: string) => `subgraph ${subgraph}`,
  /** `POST /api/query`: one agency call, its path as a template (urlTemplate.ts). */
  agencyCall: (method: string, template: string) => `${method} ${template}`,
} as const;

export const ATTR = {
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  operationName: 'graphql.operation.name',
  operationType: 'graphql.operation.type',
  /** Which server answered: `gateway` or the subgraph's name (one process may hold several: npm start). */
  server: 'cag.server',
  /** The caller's court code (never the officer). */
  court: 'cag.court',
  /** The gateway's id of the request, as in its log line and audit records. */
  requestId: 'cag.request_id',
  subgraph: 'cag.subgraph',
  agency: 'cag.agency',
  /** The bank code, for an agency with several providers. */
  provider: 'cag.provider',
  /** Attempts an agency call took, retries included. */
  attempts: 'cag.attempts',
  /**
   * How it ended: a request `ok`, `partial`, `refused`, `failed` (as the request log); a subgraph
   * call `ok`, `errors`, `failed` (as its metric); an agency call `ok` or its AGENCY_* code.
   */
  outcome: 'cag.outcome',
} as const;
