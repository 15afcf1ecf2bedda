import { loadGatewayConfig } from '../../../../gateway/config';
import { explorerEnabled } from '../../../../gateway/explorer/serveExplorer';

describe('gateway configuration: EXPLORER', () => {
  it('is on outside production and off in production unless set', () => {
    expect(loadGatewayConfig({}).explorer).toEqual({});
    expect(explorerEnabled(loadGatewayConfig({}).explorer, false)).toBe(true);
    expect(explorerEnabled(loadGatewayConfig({ EXPLORER: '' }).explorer, true)).toBe(false);
  });

  it('on or off says so in either mode', () => {
    expect(explorerEnabled(loadGatewayConfig({ EXPLORER: 'on' }).explorer, true)).toBe(true);
    expect(explorerEnabled(loadGatewayConfig({ EXPLORER: 'off' }).explorer, false)).toBe(false);
  });

  it('refuses any other value at boot, naming the variable', () => {
    expect(() => loadGatewayConfig({ EXPLORER: 'yes' })).toThrow(new Error('Invalid gateway configuration: EXPLORER: use on or off'));
  });
});
