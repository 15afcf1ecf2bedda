/**
 * The audit writer's optional observer (the gateway's metrics): told of each group commit with
 * its records, time and outcome; a failing observer never touches the appends.
 */
import { AuditLog } from '../../../../lib/audit/auditLog';
import { openDatabase } from '../../../../lib/db/openDatabase';
import { auditInput } from '../../../support/auditHarness';

describe('AuditWriter observer', () => {
  it('is told each batch, records summing to the appends, and a throwing observer fails nothing', async () => {
    const db = await openDatabase({ url: undefined });
    try {
      const batches: { records: number; seconds: number; ok: boolean }[] = [];
      const log = await AuditLog.open(db, {
        observer: {
          batchWritten(batch) {
            batches.push(batch);
            throw new Error('a broken observer');
          },
        },
      });
      // Appended in one turn: one group commit, then one more on its own.
      await Promise.all([1, 2, 3].map((n) => log.append(auditInput({ requestId: `r-${n}` }))));
      await log.append(auditInput({ requestId: 'r-4' }));
      expect(batches.map(({ records, ok }) => ({ records, ok }))).toEqual([
        { records: 3, ok: true },
        { records: 1, ok: true },
      ]);
      expect(batches.every((b) => b.seconds >= 0)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
