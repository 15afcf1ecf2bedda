/**
 * The explorer's routes on a real HTTP server: the page and the files of an allow-list, all
 * under a content-security-policy of 'self' alone, no URL of another origin, nothing in
 * production unless asked, and never a token there.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EXPLORER_CSP, explorerPages, type ExplorerOptions, prefersHtml } from '../../../../gateway/explorer/serveExplorer';
import { COURT_OPERATIONS } from '../../../../schemas/courtOperations';
import { REPO_ROOT } from '../../../support/repoRoot';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const HEADERS = { authorization: 'Bearer dev.token.here', 'x-case-number': '(2025)%E6%B5%99' };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One server per set of options; unanswered requests are 418 so a test sees the explorer passed them on. */
async function serve(options: ExplorerOptions, production = false): Promise<{ get(path: string, init?: { method?: string; accept?: string }): Promise<Answer>; close(): Promise<void> }> {
  const pages = explorerPages(options, production);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (pages?.(req, res, path)) return;
    res.statusCode = 418;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // node:http, not fetch: fetch would resolve `..` in a path before sending it.
    get: (path, init = {}) =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.accept ? { accept: init.accept } : {} }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The page's defaults, as the bootstrap reads them. */
function defaultsOf(page: string): { endpoint: string; tabs: { query: string; variables?: string; headers?: string }[]; persistHeaders: boolean } {
  const m = /<script type="application\/json" id="explorer-defaults">(.*?)<\/script>/s.exec(page);
  if (!m) throw new Error('no defaults in the page');
  return JSON.parse(m[1]!);
}

/** Every file the page links, by its URL. */
function linkedFiles(page: string): string[] {
  return [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
}

describe('the explorer in development', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  const tabs = [{ query: COURT_OPERATIONS[0]!, variables: { case: '(2025)浙0106执1001号' } }, { query: 'query Evil { __typename } # </script><script>alert(1)</script>' }];
  beforeAll(async () => (server = await serve({ tabs, headers: HEADERS })));
  afterAll(() => server.close());

  it('serves the page at / and to a browser asking /graphql, never cached, under a CSP of self alone', async () => {
    for (const [path, accept] of [['/', undefined], ['/graphql', BROWSER_ACCEPT], ['/graphql/', 'text/html']] as const) {
      const answer = await server.get(path, { accept });
      expect({ path, status: answer.status, type: answer.headers['content-type'], cache: answer.headers['cache-control'], csp: answer.headers['content-security-policy'] }).toEqual({
        path, status: 200, type: 'text/html; charset=utf-8', cache: 'no-store', csp: EXPLORER_CSP,
      });
    }
    expect(EXPLORER_CSP.split('; ').filter((d) => !/^[a-z-]+ '(self|none)'$/.test(d))).toEqual([]);
    expect(EXPLORER_CSP).not.toMatch(/unsafe|data:|https?:|\*/);
  });

  it('leaves GraphQL requests to GraphQL: a POST, a JSON GET, a GET of another path', async () => {
    expect((await server.get('/graphql', { accept: 'application/json' })).status).toBe(418);
    expect((await server.get('/graphql', { accept: '*/*' })).status).toBe(418);
    expect((await server.get('/graphql')).status).toBe(418);
    expect((await server.get('/graphql', { method: 'POST', accept: BROWSER_ACCEPT })).status).toBe(418);
    expect((await server.get('/healthz', { accept: BROWSER_ACCEPT })).status).toBe(418);
  });

  it('opens one tab per operation with its variables and the headers, the page unbroken by what a tab holds', async () => {
    const page = (await server.get('/')).body;
    const defaults = defaultsOf(page);
    expect(defaults.endpoint).toBe('/graphql');
    expect(defaults.persistHeaders).toBe(true);
    expect(defaults.tabs).toEqual([
      { query: tabs[0]!.query, variables: JSON.stringify(tabs[0]!.variables, null, 2), headers: JSON.stringify(HEADERS, null, 2) },
      { query: tabs[1]!.query, headers: JSON.stringify(HEADERS, null, 2) },
    ]);
    // The tab's `</script>` stays inside the data block: one executable script per linked file.
    expect(page.match(/<script/g)).toHaveLength(5);
  });

  it('serves each file the page links, from the allow-list, cached for good under a versioned URL', async () => {
    const page = (await server.get('/')).body;
    const files = linkedFiles(page);
    expect(files.map((f) => f.replace(/\?v=[0-9a-f]{12}$/, ''))).toEqual([
      '/explorer/assets/graphiql.css', '/explorer/assets/explorer.css',
      '/explorer/assets/react.js', '/explorer/assets/react-dom.js', '/explorer/assets/graphiql.js', '/explorer/assets/explorer.js',
    ]);
    const installed = readFileSync(join(REPO_ROOT, 'node_modules/react/umd/react.production.min.js'), 'utf8');
    for (const file of files) {
      const answer = await server.get(file);
      expect({ file, status: answer.status, cache: answer.headers['cache-control'], csp: answer.headers['content-security-policy'], nosniff: answer.headers['x-content-type-options'] }).toEqual({
        file, status: 200, cache: 'public, max-age=31536000, immutable', csp: EXPLORER_CSP, nosniff: 'nosniff',
      });
      expect(answer.headers['content-type']).toMatch(file.includes('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    expect((await server.get(files.find((f) => f.includes('/react.js'))!)).body).toBe(installed);
  });

  it("serves GraphiQL's fonts and images as files of this origin, none left as data: URLs", async () => {
    const css = (await server.get('/explorer/assets/graphiql.css')).body;
    expect(css).not.toContain('url(data:');
    const fonts = [...css.matchAll(/url\(([0-9a-f]{16}\.(?:woff2?|png))\)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(10);
    const font = await server.get(`/explorer/assets/${fonts[0]}`);
    expect({ status: font.status, type: font.headers['content-type'] }).toEqual({ status: 200, type: fonts[0]!.endsWith('png') ? 'image/png' : expect.stringMatching(/^font\/woff/) });
  });

  it('answers 404 for anything off the list, however the path is written', async () => {
    for (const path of ['/explorer/assets/../../package.json', '/explorer/assets/..%2F..%2Fpackage.json', '/explorer/assets/', '/explorer/assets/graphiql.min.js', '/explorer/assets/explorerTabs.ts', '/explorer/assets/%2e%2e/config.ts']) {
      const answer = await server.get(path);
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 404, body: 'Not Found' });
    }
  });

  it('names no URL of another origin in the page, the bootstrap or its stylesheet', async () => {
    const page = (await server.get('/')).body;
    const own = await Promise.all(linkedFiles(page).filter((f) => f.includes('/explorer.')).map(async (f) => (await server.get(f)).body));
    for (const text of [page, ...own]) expect(text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi) ?? []).toEqual([]);
  });

  it('answers HEAD with the headers alone', async () => {
    const answer = await server.get('/', { method: 'HEAD' });
    expect({ status: answer.status, body: answer.body, csp: answer.headers['content-security-policy'] }).toEqual({ status: 200, body: '', csp: EXPLORER_CSP });
  });
});

describe('the explorer in production', () => {
  it('is off unless EXPLORER turns it on: / and a browser\'s /graphql are passed on', async () => {
    const server = await serve({}, true);
    try {
      expect((await server.get('/')).status).toBe(418);
      expect((await server.get('/graphql', { accept: BROWSER_ACCEPT })).status).toBe(418);
      expect((await server.get('/explorer/assets/react.js')).status).toBe(418);
    } finally {
      await server.close();
    }
  });

  it('turned on, opens the documented operations and never the headers it was given', async () => {
    const server = await serve({ enabled: true, headers: HEADERS }, true);
    try {
      const page = (await server.get('/')).body;
      expect(defaultsOf(page)).toMatchObject({ persistHeaders: false, tabs: COURT_OPERATIONS.map((query) => ({ query })) });
      expect(page).not.toContain('dev.token.here');
    } finally {
      await server.close();
    }
  });
});

describe('prefersHtml: a browser navigating, not a GraphQL client', () => {
  it.each<[string | undefined, boolean]>([
    [BROWSER_ACCEPT, true],
    ['text/html', true],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0.5, application/json', false],
    ['application/json', false],
    ['*/*', false],
    ['text/html;q=0', false],
    ['application/graphql-response+json, application/json', false],
    [undefined, false],
  ])('%p -> %p', (accept, html) => expect(prefersHtml(accept)).toBe(html));
});
