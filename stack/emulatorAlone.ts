/**
 * One agency emulator alone, from its configuration (stack/emulatorConfig.ts), by its name in the
 * registry (stack/agencies.ts: court, bank:NCB, bank:HZCB, bank:RCC, bank:WEB, realestate, vehicle,
 * commerce, social-insurance), with its books in a database of its own or a shared PostgreSQL.
 */
import { type Database, openDatabase } from '../lib/db/openDatabase';
import { CaseAccount } from '../mocks/court/caseAccount';
import { createPopulation } from '../mocks/population';
import type { Emulator } from '../mocks/shared/startEmulator';
import { AGENCIES, type EmulatorContext, type EmulatorStart } from './agencies';
import type { EmulatorConfig } from './emulatorConfig';

/** Every emulator of the registry by name. */
export const EMULATOR_STARTS: Record<string, EmulatorStart> = Object.fromEntries(Object.values(AGENCIES).flatMap((agency) => Object.entries(agency.emulators)));

export const EMULATOR_NAMES: readonly string[] = Object.keys(EMULATOR_STARTS);

export interface EmulatorAlone {
  emulator: Emulator;
  /** Closes the emulator, then its database. */
  stop(): Promise<void>;
}

export async function startEmulatorAlone(name: string, config: EmulatorConfig): Promise<EmulatorAlone> {
  const start = EMULATOR_STARTS[name];
  if (!start) throw new Error(`No emulator ${JSON.stringify(name)}: one of ${EMULATOR_NAMES.join(', ')}`);
  const population = createPopulation({ persons: config.persons, seed: config.seed });
  const database: Database = await openDatabase({ url: config.databaseUrl });
  try {
    // Only the court keeps the case account; the others never touch its table.
    const caseAccount = name === 'court' ? await CaseAccount.open(database, { table: `${config.tablePrefix}case_receipts` }) : undefined;
    const context: EmulatorContext = {
      population,
      latency: config.latencyMs === undefined ? {} : { latencyMs: config.latencyMs },
      control: (table) => ({ database, table: `${config.tablePrefix}${table}`, answerDelayMs: config.answerDelayMs }),
      get caseAccount(): CaseAccount {
        if (!caseAccount) throw new Error(`The ${name} emulator keeps no case account: the court's does`);
        return caseAccount;
      },
      emulatorUrl: (other) => {
        if (other === 'court' && config.courtUrl !== undefined) return config.courtUrl;
        throw new Error(`The ${name} emulator needs the ${other} emulator's URL (COURT_URL)`);
      },
      host: config.host,
    };
    const emulator = await start(context, config.port);
    return {
      emulator,
      stop: async () => {
        await emulator.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
