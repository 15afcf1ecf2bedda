import type { AgencyChannels } from '../shared/agencyChannels';
import { ControlClient } from '../shared/measures/controlClient';
import { BANK_CONFIGS, type BankConfig } from './banks';
import { BANK_AGENCY } from './clients/bankApi';
import type { BankClient } from './types';
import type { PooledBankConnection } from './clients/bankApi';

export { BANK_AGENCY } from './clients/bankApi';
export { HZCB_MAX_BATCH, HzcbClient } from './clients/hzcb';
export { NCB_MAX_BATCH, NcbClient } from './clients/ncb';
export { RCC_MAX_BATCH, RCC_MAX_PAGES, RccClient } from './clients/rcc';
export { WEB_MAX_BATCH, WebClient } from './clients/web';
export type { AccountHolder, BankAccount, BankClient, BankConnection, HolderHoldings, WealthHolding, WealthSource } from './types';

/** A bank of the network with the client that reaches it. */
export interface ConnectedBank {
  config: BankConfig;
  client: BankClient;
  /** The bank's control interface; absent for a bank that takes no measure online. */
  control?: ControlClient;
}

/**
 * One client per bank from the base URLs keyed by each bank's URL key. Every bank must have
 * a URL, and a key that names no bank is refused, so a typo is found at start-up rather than
 * as a bank silently missing from every answer. With `channels`, each bank gets a breaker,
 * retries and a connection pool of its own, shared by its query and control clients.
 */
export function connectBanks(
  bankUrls: Record<string, string>,
  defaultTimeoutMs?: number,
  channels?: AgencyChannels,
  bankTimeoutsMs: Readonly<Record<string, number>> = {},
): ConnectedBank[] {
  const keys = new Set(BANK_CONFIGS.map((b) => b.urlKey));
  for (const [what, named] of [['bankUrls', bankUrls], ['bankTimeoutsMs', bankTimeoutsMs]] as const) {
    const unknown = Object.keys(named).filter((key) => !keys.has(key));
    if (unknown.length > 0) throw new Error(`${what} names no bank of the network: ${unknown.join(', ')} (expected ${[...keys].join(', ')}).`);
  }
  return BANK_CONFIGS.map((config) => {
    const baseUrl = bankUrls[config.urlKey];
    if (baseUrl === undefined) throw new Error(`bankUrls has no URL for bank ${config.code} (key ${config.urlKey}).`);
    const timeoutMs = bankTimeoutsMs[config.urlKey] ?? defaultTimeoutMs;
    const control = config.controlPrefix
      ? new ControlClient({ agency: BANK_AGENCY, provider: config.code, baseUrl, prefix: config.controlPrefix, timeoutMs, channels })
      : undefined;
    const connection: PooledBankConnection = { baseUrl, timeoutMs, channels };
    return { config, client: config.adapter(connection), ...(control ? { control } : {}) };
  });
}
