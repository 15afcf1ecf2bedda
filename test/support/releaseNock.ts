/**
 * Runs after every test file. nock patches node's http module as soon as it is loaded, and
 * jest reuses a worker process for many files while core modules are shared between them:
 * a patch left by one unit file (even one that only imports a helper that imports nock)
 * would break real sockets in the next end-to-end file. Requiring nock here gives this
 * file's own instance (loading it only now if the file never did) and removes its patch.
 */
afterAll(() => {
  const nock = require('nock') as typeof import('nock');
  nock.restore();
});
