import { HZCB_CONTROL_PREFIX, HZCB_MAX_BATCH, HzcbClient } from './clients/hzcb';
import { NCB_CONTROL_PREFIX, NCB_MAX_BATCH, NcbClient } from './clients/ncb';
import { RCC_MAX_BATCH, RccClient } from './clients/rcc';
import { WEB_CONTROL_PREFIX, WEB_MAX_BATCH, WebClient } from './clients/web';
import type { BankClient, BankConnection } from './types';

/** What a court can do at a bank online (SPC/CBRC online enforcement query and control). */
export type BankCapability = 'QUERY' | 'FREEZE' | 'DEDUCT';

export interface BankConfig {
  /** The bank's code on the network; also `extensions.provider` of its errors. */
  code: string;
  name: string;
  /** What the bank supports online; anything else is refused up front. */
  capabilities: readonly BankCapability[];
  /** The key of this bank's base URL in `startBankSubgraph({ bankUrls })`. */
  urlKey: string;
  /**
   * Path prefix of the bank's control interface (the network's common spec) on its base URL;
   * absent for a bank that takes no measure online.
   */
  controlPrefix?: string;
  /** Keys the bank takes in one request; one DataLoader per bank splits at this size. */
  maxBatch: number;
  /** Builds the client that speaks this bank's own API. */
  adapter(connection: BankConnection): BankClient;
}

/** The banks of the network, in the order the graph lists them. */
export const BANK_CONFIGS: readonly BankConfig[] = [
  {
    code: 'NCB',
    name: '华夏国民银行',
    capabilities: ['QUERY', 'FREEZE', 'DEDUCT'],
    urlKey: 'NCB',
    controlPrefix: NCB_CONTROL_PREFIX,
    maxBatch: NCB_MAX_BATCH,
    adapter: (connection) => new NcbClient(connection),
  },
  {
    code: 'HZCB',
    name: '杭州城市商业银行',
    capabilities: ['QUERY', 'FREEZE', 'DEDUCT'],
    urlKey: 'HZCB',
    controlPrefix: HZCB_CONTROL_PREFIX,
    maxBatch: HZCB_MAX_BATCH,
    adapter: (connection) => new HzcbClient(connection),
  },
  {
    // A rural credit cooperative answers queries online only; freezes go on paper.
    code: 'RCC',
    name: '余杭农村信用合作联社',
    capabilities: ['QUERY'],
    urlKey: 'RCC',
    maxBatch: RCC_MAX_BATCH,
    adapter: (connection) => new RccClient(connection),
  },
  {
    code: 'WEB',
    name: '网商互联银行',
    capabilities: ['QUERY', 'FREEZE', 'DEDUCT'],
    urlKey: 'WEB',
    controlPrefix: WEB_CONTROL_PREFIX,
    maxBatch: WEB_MAX_BATCH,
    adapter: (connection) => new WebClient(connection),
  },
];

export function bankConfig(code: string): BankConfig | undefined {
  return BANK_CONFIGS.find((bank) => bank.code === code);
}
