import { connectBanks } from '../../../../subgraphs/bank/client';

const URLS = { NCB: 'http://ncb.test', HZCB: 'http://hzcb.test', RCC: 'http://rcc.test', WEB: 'http://web.test' };

describe('connectBanks', () => {
  it('connects every bank of the network, each with its own budget where one is given', () => {
    expect(connectBanks(URLS, 1000, undefined, { RCC: 150 }).map((b) => b.config.code)).toEqual(['NCB', 'HZCB', 'RCC', 'WEB']);
  });

  it('refuses a URL key or a time budget that names no bank, and a bank without a URL, at start-up', () => {
    expect(() => connectBanks({ ...URLS, NBC: 'http://x.test' })).toThrow('bankUrls names no bank of the network: NBC');
    expect(() => connectBanks(URLS, 1000, undefined, { RRC: 150 })).toThrow('bankTimeoutsMs names no bank of the network: RRC');
    const { WEB: _web, ...withoutWeb } = URLS;
    expect(() => connectBanks(withoutWeb)).toThrow(/bankUrls has no URL for bank WEB/);
  });
});
