import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../stack/startStack';
import { createPopulation } from '../../mocks/population';
import { postInCase } from '../support/courtRequest';

/**
 * What `npm start` does by default: the agencies keep their books in an embedded PGlite
 * directory. A seal accepted before the whole process stops is there after it starts again.
 */
const SEAL = `mutation Seal($input: SealRealEstateInput!) {
  sealRealEstate(input: $input) { seal { id requestId status termEnd history { kind at } } refusal { code } }
}`;
const SEALS = `query Seals($case: CaseNumber!) { case(caseNumber: $case) { realEstateSeals { id requestId status termEnd history { kind at } } } }`;

describe('measures survive a restart of the whole stack on a PGlite directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cag-durability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accept, stop everything, start again, read back', async () => {
    const population = createPopulation({ persons: 100 });
    const { caseNumbers, unitNumber } = population.scenarios.contestedHouse;
    const options = { population, auditDatabaseUrl: `pglite://${dir}`, agencyLatencyMs: 0, redisUrl: undefined };
    const input = { requestId: 'durable-1', unitNumber, documentNumber: `${caseNumbers[0]}之一`, termDays: 1095 };

    const first = await startStack(options);
    let seal: Record<string, unknown>;
    try {
      const accepted = await postInCase(first.gateway.url, population, caseNumbers[0], SEAL, { input }, { roles: ['query', 'control'] });
      seal = accepted.data!.sealRealEstate.seal;
      expect(seal).toMatchObject({ requestId: 'durable-1', status: 'ACTIVE' });
    } finally {
      await first.stop();
    }

    const second = await startStack(options);
    try {
      const readBack = await postInCase(second.gateway.url, population, caseNumbers[0], SEALS, { case: caseNumbers[0] }, { roles: ['query'] });
      expect(readBack.errors).toBeUndefined();
      expect(readBack.data!.case.realEstateSeals).toEqual([seal]);
      // The retry after the restart finds the same seal instead of making a second one.
      const retried = await postInCase(second.gateway.url, population, caseNumbers[0], SEAL, { input }, { roles: ['query', 'control'] });
      expect(retried.data!.sealRealEstate.seal).toEqual(seal);
    } finally {
      await second.stop();
    }
  });
});
