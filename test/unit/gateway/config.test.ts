import { loadGatewayConfig, logLevelFromEnv } from '../../../gateway/config';

describe('gateway configuration: LOG_LEVEL', () => {
  it.each([
    [{}, 'info'],
    [{ NODE_ENV: 'development' }, 'info'],
    [{ NODE_ENV: 'test' }, 'silent'],
    [{ NODE_ENV: 'test', LOG_LEVEL: 'debug' }, 'debug'],
    [{ LOG_LEVEL: 'warn' }, 'warn'],
  ])('%p -> %s', (env, level) => {
    expect(loadGatewayConfig(env).logLevel).toBe(level);
    // A configuration built by hand falls back to the same reading.
    expect(logLevelFromEnv(env)).toBe(level);
  });

  it("defaults to 'info' in production too", () => {
    expect(logLevelFromEnv({ NODE_ENV: 'production' })).toBe('info');
  });

  it('refuses an unknown level at boot, naming the variable', () => {
    const refusal = 'Invalid gateway configuration: LOG_LEVEL: use one of fatal, error, warn, info, debug, trace, silent';
    expect(() => loadGatewayConfig({ LOG_LEVEL: 'loud' })).toThrow(new Error(refusal));
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(new Error(refusal));
  });
});

describe("gateway configuration: Apollo's query-planner checks", () => {
  it('keeps both checks on unless a variable is exactly "true", as ApolloGateway reads them', () => {
    expect(loadGatewayConfig({}).plannerChecks).toEqual({ recursiveSelectionsLimitDisabled: false, nonLocalSelectionsLimitDisabled: false });
    expect(
      loadGatewayConfig({ APOLLO_DISABLE_SECURITY_RECURSIVE_SELECTIONS_CHECK: 'true', APOLLO_DISABLE_SECURITY_NON_LOCAL_SELECTIONS_CHECK: 'TRUE' }).plannerChecks,
    ).toEqual({ recursiveSelectionsLimitDisabled: true, nonLocalSelectionsLimitDisabled: false });
    expect(loadGatewayConfig({ APOLLO_DISABLE_SECURITY_NON_LOCAL_SELECTIONS_CHECK: 'true' }).plannerChecks).toEqual({
      recursiveSelectionsLimitDisabled: false,
      nonLocalSelectionsLimitDisabled: true,
    });
  });
});
