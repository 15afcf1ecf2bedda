import { randomUUID } from 'node:crypto';
import type { Stack } from '../../stack/startStack';
import { AUTH_DEFAULTS } from '../../gateway/auth/authConfig';
import type { GatewayConfig } from '../../gateway/config';
import { type RunningGateway, startGateway } from '../../gateway/createGateway';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { PATIENT_AGENCY_TIMEOUT_MS } from './agencyLimits';

/**
 * One more gateway over a running stack's subgraphs and database, configured differently
 * (cold, another transport...), auditing into a table of its own; `stop` also drops that
 * table on PostgreSQL.
 */
export async function startExtraGateway(stack: Stack, overrides: Partial<GatewayConfig> = {}): Promise<RunningGateway> {
  const auditTable = `audit_extra_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    production: false,
    supergraphPath: SUPERGRAPH_PATH,
    subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
    subgraphSecret: stack.subgraphSecret,
    auth: { ...AUTH_DEFAULTS, production: false },
    auditDatabaseUrl: undefined,
    auditDatabase: stack.database,
    auditTable,
    redisUrl: undefined,
    // A hang guard, not a speed budget, as the stack's own gateway has (support/stack.ts).
    caseLookupTimeoutMs: PATIENT_AGENCY_TIMEOUT_MS,
    ...overrides,
  });
  return {
    ...gateway,
    stop: async () => {
      await gateway.stop();
      if (stack.database.kind === 'postgres') {
        await stack.database.query(`DROP TABLE IF EXISTS "${auditTable}" CASCADE`);
        await stack.database.query(`DROP FUNCTION IF EXISTS "${auditTable}_append_only"() CASCADE`);
      }
    },
  };
}
