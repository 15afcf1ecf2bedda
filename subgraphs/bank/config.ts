import { agencyUrl, loadSubgraphConfig } from '../shared/subgraphConfig';
import { BANK_CONFIGS, type BankConfig } from './banks';
import type { BankSubgraphOptions } from './index';

/** `BANK_URL_NCB`: the variable naming one bank's base URL, by its URL key. */
export function bankUrlVariable(bank: Pick<BankConfig, 'urlKey'>): string {
  return `BANK_URL_${bank.urlKey}`;
}

/**
 * The bank subgraph's own variables, beside the ones every subgraph reads (subgraphConfig.ts):
 * the base URL of every bank of the network (BANK_CONFIGS), each required, since a bank
 * missing would silently drop from every answer.
 */
export const BANK_ENV: Record<string, typeof agencyUrl> = Object.fromEntries(BANK_CONFIGS.map((bank) => [bankUrlVariable(bank), agencyUrl]));

/** The bank subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function bankSubgraphConfig(env: NodeJS.ProcessEnv): BankSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('bank', BANK_ENV, env);
  return { ...settings, bankUrls: Object.fromEntries(BANK_CONFIGS.map((bank) => [bank.urlKey, agency[bankUrlVariable(bank)]!])) };
}
