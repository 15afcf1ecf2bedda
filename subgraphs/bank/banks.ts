import { HZCB_CONTROL_PREFIX, HZCB_MAX_BATCH, HzcbClient } from './clients/hzcb';
import { NCB_CONTROL_PREFIX, NCB_MAX_BATCH, NcbClient } from './clients/ncb';
import { RCC_MAX_BATCH, RccClient } from './clients/rcc';
import { WEB_CONTROL_PREFIX, WEB_MAX_BATCH, WebClient } from './clients/web';
import type { BankConfig } from './types';

export type { BankCapability, BankConfig } from './types';

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
