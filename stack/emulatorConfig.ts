/**
 * One agency emulator's configuration, read once at start from its environment and validated
 * (bin/emulator.ts), so each runs alone as a process of its own (a container of the province):
 * every emulator draws the same synthetic population from the same seed and size.
 */
import { z } from 'zod';
import { readSecretFiles, secretFilesShape, secretsAmong } from '../lib/config/secretFiles';
import { DEFAULT_PERSONS, DEFAULT_SEED } from '../mocks/population';
import { unsetIfEmpty } from '../subgraphs/shared/subgraphConfig';

const integer = (min: number, max?: number) => {
  const n = z.coerce.number().int().min(min);
  return max === undefined ? n : n.max(max);
};

/** The variables an emulator reads; README "Agency emulators" holds its table to this schema. */
export const EMULATOR_ENV = {
  /** @default 0 (a free port, printed in the READY line) */
  PORT: z.preprocess(unsetIfEmpty, integer(0, 65535).default(0)),
  /** @default '127.0.0.1' */
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  /** Persons of the synthetic province; the same in every process. @default DEFAULT_PERSONS */
  POPULATION_PERSONS: z.preprocess(unsetIfEmpty, integer(1).default(DEFAULT_PERSONS)),
  /** Its seed; the same in every process. @default DEFAULT_SEED */
  POPULATION_SEED: z.preprocess(unsetIfEmpty, integer(0).default(DEFAULT_SEED)),
  /** Where the measure books (and the court's case account) live: PostgreSQL; unset, PGlite in memory. */
  DATABASE_URL: z.preprocess(unsetIfEmpty, z.string().optional()),
  ...secretFilesShape(['DATABASE_URL']),
  /** Prefix of the emulators' tables, so several provinces share one PostgreSQL. @default '' */
  EMULATOR_TABLE_PREFIX: z.preprocess(unsetIfEmpty, z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'must be lower-case letters, digits and _' }).default('')),
  /** The court case system's base URL: the banks pay deducted funds into its case account. Required for a bank. */
  COURT_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/ }).optional()),
  /** A fixed answer time in ms for this emulator. @default the agency's own */
  EMULATOR_LATENCY_MS: z.preprocess(unsetIfEmpty, integer(0).optional()),
  /** How long the agency takes to answer a control request, ms. @default 0 */
  EMULATOR_ANSWER_DELAY_MS: z.preprocess(unsetIfEmpty, integer(0).default(0)),
  /** How many of its latest calls `GET /__calls` keeps (mocks/shared/startEmulator.ts). @default 10000 */
  EMULATOR_CALL_WINDOW: z.preprocess(unsetIfEmpty, integer(1).optional()),
};

export interface EmulatorConfig {
  port: number;
  host: string;
  persons: number;
  seed: number;
  databaseUrl: string | undefined;
  tablePrefix: string;
  courtUrl: string | undefined;
  latencyMs: number | undefined;
  answerDelayMs: number;
}

/** A configuration that cannot start an emulator; the message names every bad variable. */
export class EmulatorConfigError extends Error {
  override readonly name = 'EmulatorConfigError';
}

/** `name` needs COURT_URL: a bank deducts into the court's case account. */
const needsCourt = (name: string) => name.startsWith('bank:');

export function loadEmulatorConfig(name: string, given: NodeJS.ProcessEnv): EmulatorConfig {
  let env: NodeJS.ProcessEnv;
  try {
    env = readSecretFiles(given, secretsAmong(Object.keys(EMULATOR_ENV)));
  } catch (error) {
    throw new EmulatorConfigError(`Invalid configuration of the ${name} emulator: ${(error as Error).message}`);
  }
  const parsed = z.object(EMULATOR_ENV).safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  if (parsed.success && needsCourt(name) && parsed.data.COURT_URL === undefined) problems.push('COURT_URL is required: the bank pays deducted funds into the court\'s case account');
  if (!parsed.success || problems.length > 0) throw new EmulatorConfigError(`Invalid configuration of the ${name} emulator: ${problems.join('; ')}`);
  const d = parsed.data;
  return {
    port: d.PORT,
    host: d.HOST,
    persons: d.POPULATION_PERSONS,
    seed: d.POPULATION_SEED,
    databaseUrl: d.DATABASE_URL,
    tablePrefix: d.EMULATOR_TABLE_PREFIX,
    courtUrl: d.COURT_URL,
    latencyMs: d.EMULATOR_LATENCY_MS,
    answerDelayMs: d.EMULATOR_ANSWER_DELAY_MS,
  };
}
