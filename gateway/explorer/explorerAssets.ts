import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Where the explorer's files are served. */
export const ASSETS_PATH = '/explorer/assets/';

/** One file the explorer serves, held in memory. */
export interface ExplorerAsset {
  body: Buffer;
  contentType: string;
  /** Part of its URL (`?v=`), so a changed file is a new URL and the old one may be cached for good. */
  version: string;
}

/** The files of installed packages the page loads: nothing else is served, whatever the path asks. */
const INSTALLED: Readonly<Record<string, { pkg: string; file: string; contentType: string }>> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
};

/** The explorer's own files, beside this module. */
const OWN: Readonly<Record<string, { file: string; contentType: string }>> = {
  'explorer.js': { file: 'explorerBootstrap.js', contentType: JS },
  'explorer.css': { file: 'explorer.css', contentType: CSS },
};

/** The page's scripts in the order they must run: React, ReactDOM, GraphiQL (a UMD build over both), the bootstrap. */
export const SCRIPTS = ['react.js', 'react-dom.js', 'graphiql.js', 'explorer.js'] as const;
export const STYLES = ['graphiql.css', 'explorer.css'] as const;

/**
 * The explorer's files by name, read once. GraphiQL's stylesheet carries its fonts and images
 * as `data:` URLs; they are cut out into files of their own (named by their digest) so that
 * the content-security-policy can allow 'self' alone for fonts and images too.
 */
export function loadExplorerAssets(): ReadonlyMap<string, ExplorerAsset> {
  const assets = new Map<string, ExplorerAsset>();
  const add = (name: string, body: Buffer, contentType: string) => assets.set(name, { body, contentType, version: digest(body).slice(0, 12) });
  for (const [name, { pkg, file, contentType }] of Object.entries(INSTALLED)) {
    const body = readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));
    add(name, contentType === CSS ? Buffer.from(extractDataUrls(body.toString('utf8'), add)) : body, contentType);
  }
  for (const [name, { file, contentType }] of Object.entries(OWN)) add(name, readFileSync(join(__dirname, file)), contentType);
  return assets;
}

/** The URL of a served file, with its version. */
export function assetUrl(assets: ReadonlyMap<string, ExplorerAsset>, name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`The explorer serves no file ${name}.`);
  return `${ASSETS_PATH}${name}?v=${asset.version}`;
}

const DATA_URL = /url\((["']?)data:([a-z0-9.+-]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=]+)\1\)/g;
const EXTENSIONS: Readonly<Record<string, string>> = { 'font/woff2': 'woff2', 'font/woff': 'woff', 'image/png': 'png', 'image/svg+xml': 'svg', 'image/gif': 'gif' };

/** The stylesheet with each `data:` URL replaced by a file beside it (a URL relative to the stylesheet's). */
function extractDataUrls(css: string, add: (name: string, body: Buffer, contentType: string) => void): string {
  return css.replace(DATA_URL, (whole, _quote: string, type: string, base64: string) => {
    const extension = EXTENSIONS[type];
    if (extension === undefined) return whole;
    const body = Buffer.from(base64, 'base64');
    const name = `${digest(body).slice(0, 16)}.${extension}`;
    add(name, body, type);
    return `url(${name})`;
  });
}

function digest(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
