import nock from 'nock';

/**
 * nock at the agency edge for one test file: no real network, every mock set up by a test
 * used by it, and nock's patch of node's http removed after the file. Jest reuses worker
 * processes across files and core modules are shared between them, so a patch left behind
 * would break the next file's real sockets (an end-to-end suite through the gateway).
 */
export function useNockAtAgencyEdge(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
