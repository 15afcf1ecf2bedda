import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subgraphSdlPath } from './loadSubgraphSdl';
import { SUBGRAPH_NAMES } from './subgraphs';

/**
 * SDL that several subgraphs declare identically lives once, in schemas/shared/<block>, and is
 * copied between two marker comments into each subgraph SDL file that carries them, so every
 * subgraph file stays a complete schema that rover, agencies and tools read on its own.
 * A subgraph includes a block by carrying its markers; `npm run compose` refreshes the copies
 * and a unit test fails when one is stale.
 *
 * The shared blocks, by file name in schemas/shared/; a new one is one more entry.
 */
export const SHARED_SDL_BLOCKS = ['controlMeasures.graphql'] as const;

export type SharedSdlBlock = (typeof SHARED_SDL_BLOCKS)[number];

/** Each shared block's text, by block. */
export type SharedSdlTexts = Readonly<Record<SharedSdlBlock, string>>;

export const SHARED_SDL_DIR = join(__dirname, 'shared');

export function openingMarker(block: SharedSdlBlock): string {
  return `# <shared ${block}: copied from schemas/shared/${block} by npm run compose; edit it there, not here>`;
}

export function closingMarker(block: SharedSdlBlock): string {
  return `# </shared ${block}>`;
}

// Recognised by the block's name alone, so the rest of an opening line can be reworded; a refresh
// writes it back in the wording above.
const OPENING = /^# <shared ([^\s:>]+)[:>]/;
const CLOSING = /^# <\/shared ([^\s>]+)>\s*$/;

export function readSharedSdl(dir: string = SHARED_SDL_DIR): SharedSdlTexts {
  return Object.fromEntries(SHARED_SDL_BLOCKS.map((block) => [block, readFileSync(join(dir, block), 'utf8')])) as SharedSdlTexts;
}

/** The subgraph SDL files, in the registry's order. */
export function subgraphSdlPaths(): string[] {
  return SUBGRAPH_NAMES.map(subgraphSdlPath);
}

function sharedBlock(name: string, where: string): SharedSdlBlock {
  const block = SHARED_SDL_BLOCKS.find((b) => b === name);
  if (!block) throw new Error(`${where}: marker names ${name}, which is not a shared block (${SHARED_SDL_BLOCKS.join(', ')})`);
  return block;
}

/** The shared blocks an SDL text carries, in order. */
export function sharedBlocksIn(sdl: string, file = 'SDL'): SharedSdlBlock[] {
  return sdl.split('\n').flatMap((line, i) => {
    const name = OPENING.exec(line)?.[1];
    return name === undefined ? [] : [sharedBlock(name, `${file}:${i + 1}`)];
  });
}

/**
 * `sdl` with the text between each pair of markers replaced by its shared block; every line
 * outside the markers is kept as it is. Throws on a marker left open, a closing marker without
 * its opening, or a block carried twice, naming the file and line.
 */
export function renderSharedBlocks(sdl: string, shared: SharedSdlTexts, file = 'SDL'): string {
  const out: string[] = [];
  const seen = new Set<SharedSdlBlock>();
  let open: { block: SharedSdlBlock; line: number } | undefined;
  sdl.split('\n').forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const opening = OPENING.exec(line)?.[1];
    const closing = CLOSING.exec(line)?.[1];
    if (opening !== undefined) {
      if (open) throw new Error(`${where}: ${open.block} opened at line ${open.line} is not closed before another block opens`);
      const block = sharedBlock(opening, where);
      if (seen.has(block)) throw new Error(`${where}: ${block} is already carried earlier in this file`);
      seen.add(block);
      open = { block, line: i + 1 };
      out.push(openingMarker(block), ...bodyLines(shared[block]));
    } else if (closing !== undefined) {
      const block = sharedBlock(closing, where);
      if (open?.block !== block) {
        throw new Error(`${where}: ${closingMarker(block)} closes a block that is not open${open ? ` (${open.block} is, since line ${open.line})` : ''}`);
      }
      out.push(closingMarker(open.block));
      open = undefined;
    } else if (!open) {
      out.push(line);
    }
  });
  if (open) throw new Error(`${file}:${open.line}: ${open.block} is opened but never closed (${closingMarker(open.block)})`);
  return out.join('\n');
}

// The block's text without trailing blank lines, so the closing marker follows its last definition.
function bodyLines(text: string): string[] {
  const trimmed = text.trimEnd();
  return trimmed === '' ? [] : trimmed.split('\n');
}

interface RenderedFile {
  path: string;
  sdl: string;
  next: string;
}

// Renders every file before any is written, so a malformed marker in one leaves all of them untouched.
function renderFiles(paths: readonly string[], shared: SharedSdlTexts): RenderedFile[] {
  return paths.map((path) => {
    const sdl = readFileSync(path, 'utf8');
    return { path, sdl, next: renderSharedBlocks(sdl, shared, path) };
  });
}

/** The files among `paths` whose shared blocks differ from the shared text. */
export function staleSdlFiles(paths: readonly string[], shared: SharedSdlTexts = readSharedSdl()): string[] {
  return renderFiles(paths, shared)
    .filter(({ sdl, next }) => next !== sdl)
    .map(({ path }) => path);
}

/** Rewrites the stale files among `paths` with their shared blocks refreshed; returns the ones it rewrote. */
export function refreshSdlFiles(paths: readonly string[], shared: SharedSdlTexts = readSharedSdl()): string[] {
  const stale = renderFiles(paths, shared).filter(({ sdl, next }) => next !== sdl);
  for (const { path, next } of stale) writeFileSync(path, next);
  return stale.map(({ path }) => path);
}
