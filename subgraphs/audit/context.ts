import type { AuditReader } from '../../lib/audit/auditReader';
import type { CourtClient } from '../court/client';
import type { SignedContext } from '../shared/signedRequest';
import type { MeasuresTakenLoader } from './measuresTaken';

/** What every resolver of the audit subgraph gets for one request (built in index.ts). */
export interface AuditContext extends SignedContext {
  /** The audit log's reader, opened on first use. */
  log(): Promise<AuditReader>;
  court: CourtClient;
  /** This request's look at the agencies: whom each case's measures took effect against. */
  measuresTaken: MeasuresTakenLoader;
}
