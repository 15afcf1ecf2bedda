import { AuditReader } from '../../lib/audit/auditReader';
import type { Database } from '../../lib/db/openDatabase';
import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { CourtClient } from '../court/client';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { startSubgraph } from '../shared/startSubgraph';
import { connectControlDesks, type ControlDeskUrls, measuresTakenLoader } from './measuresTaken';
import type { AuditContext } from './context';
import { resolvers } from './resolvers';

export interface AuditSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /**
   * The gateway's audit database. With PGlite (one process) it must be the very object the
   * gateway writes to; the subgraph only reads it and never closes it.
   */
  database: Database;
  /** @default 'audit_log' */
  auditTable?: string;
  /** The court case system (case status and debtors). */
  courtAgencyUrl: string;
  /**
   * The agencies' control interfaces, asked whether an open case's measures took effect
   * against the citizen. @default none: then only a case's closure shows its requests
   */
  controlDesks?: ControlDeskUrls;
  port?: number;
  host?: string;
  /** Time budget per call to the court case system and to each control interface, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards each agency (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

/**
 * The network operator's audit subgraph: citizens' "who looked at me" and supervisors'
 * reviews, read from the gateway's audit log, with case facts from the court case system and
 * the measures of open cases from the agencies' control interfaces.
 */
export function startAuditSubgraph(options: AuditSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const court = new CourtClient({ baseUrl: options.courtAgencyUrl, timeoutMs: options.timeoutMs, channels });
  const desks = options.controlDesks ? connectControlDesks(options.controlDesks, options.timeoutMs, channels) : [];
  // Opened on first use and read-only: the gateway creates the table; a failed open is retried,
  // and so is one of a table no gateway has given purposes yet, until one has.
  let opened: Promise<AuditReader> | undefined;
  const log = (): Promise<AuditReader> => {
    const reader = (opened ??= AuditReader.open(options.database, { table: options.auditTable }).then(
      (r) => {
        if (!r.readsPurposes) opened = undefined;
        return r;
      },
      (error: unknown) => {
        opened = undefined;
        throw error;
      },
    ));
    return reader;
  };
  return startSubgraph<AuditContext>({
    name: 'audit',
    resolvers,
    channels,
    context: () => ({ log, court, measuresTaken: measuresTakenLoader(desks) }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
