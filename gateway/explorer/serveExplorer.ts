import type { IncomingMessage, ServerResponse } from 'node:http';
import { COURT_OPERATIONS } from '../../schemas/courtOperations';
import { ASSETS_PATH, type ExplorerAsset, loadExplorerAssets } from './explorerAssets';
import { renderExplorerPage } from './explorerPage';
import { explorerTabs, type ExplorerTab } from './explorerTabs';

/** The GraphQL explorer the gateway serves at `/` and to a browser's `GET /graphql` (GatewayConfig.explorer). */
export interface ExplorerOptions {
  /** EXPLORER=on|off. @default true outside production, false in production */
  enabled?: boolean;
  /** The tabs it opens with. @default one per documented court operation (schemas/courtOperations.ts), without variables */
  tabs?: readonly ExplorerTab[];
  /**
   * Request headers every tab starts with (`npm start`: the printed token and case). Never
   * served in production, whoever passes them. @default none
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Only this origin, for everything: the page, its scripts, styles, fonts, images and its
 * GraphQL requests. Nothing inline runs, nothing is framed, posted or loaded from elsewhere,
 * even if a served file tried.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What serveGraphQL's `pages` option takes: answers the explorer's requests, true when it answered. */
export type ExplorerPages = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** Whether the explorer is served: as asked, else outside production only (introspection is off there too). */
export function explorerEnabled(options: ExplorerOptions | undefined, production: boolean): boolean {
  return options?.enabled ?? !production;
}

/** The explorer's routes, or undefined when it is off. */
export function explorerPages(options: ExplorerOptions, production: boolean): ExplorerPages | undefined {
  if (!explorerEnabled(options, production)) return undefined;
  const assets = loadExplorerAssets();
  const page = Buffer.from(
    renderExplorerPage(assets, {
      tabs: options.tabs ?? explorerTabs(COURT_OPERATIONS),
      // A token in a production page would be anyone's who can load it.
      headers: production ? {} : (options.headers ?? {}),
      endpoint: '/graphql',
    }),
  );
  return (req, res, path) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/' || ((path === '/graphql' || path === '/graphql/') && prefersHtml(req.headers.accept))) {
      send(req, res, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, page);
      return true;
    }
    if (!path.startsWith(ASSETS_PATH)) return false;
    // Looked up by exact name in what was loaded: no path is ever joined, so `..` finds nothing.
    const asset: ExplorerAsset | undefined = assets.get(path.slice(ASSETS_PATH.length));
    if (asset === undefined) send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from('Not Found'));
    else send(req, res, 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' }, asset.body);
    return true;
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, {
    ...headers,
    'content-length': body.length,
    'content-security-policy': EXPLORER_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Whether a request's Accept prefers HTML to JSON, as a browser's navigation does
 * (`text/html,...,*\/*;q=0.8`); `*\/*` alone, or JSON first, is a GraphQL client's.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { range: range!.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const quality = (type: string): number => {
    const [major] = type.split('/');
    const match = ranges.find((r) => r.range === type) ?? ranges.find((r) => r.range === `${major}/*`) ?? ranges.find((r) => r.range === '*/*');
    return match?.q ?? 0;
  };
  const html = ranges.find((r) => r.range === 'text/html')?.q ?? 0;
  return html > 0 && html > quality('application/json');
}
