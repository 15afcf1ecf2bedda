import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import {
  SHARED_SDL_BLOCKS,
  closingMarker,
  openingMarker,
  readSharedSdl,
  refreshSdlFiles,
  renderSharedBlocks,
  sharedBlocksIn,
  staleSdlFiles,
  subgraphSdlPaths,
} from '../../../schemas/sharedSdl';

const REPO = join(__dirname, '../../..');
const BLOCK = SHARED_SDL_BLOCKS[0];

/** The lines of `sdl` outside every shared block, its marker lines left out too (a refresh rewords the opening one). */
function outsideBlocks(sdl: string): string[] {
  let inside = false;
  return sdl.split('\n').filter((line) => {
    if (line.startsWith('# <shared ')) inside = true;
    const keep = !inside;
    if (line.startsWith('# </shared ')) inside = false;
    return keep;
  });
}

/** The body of `block` in `sdl`: the lines between its markers. */
function body(sdl: string, block: typeof BLOCK): string {
  const lines = sdl.split('\n');
  const from = lines.findIndex((l) => l.startsWith(`# <shared ${block}`));
  return lines.slice(from + 1, lines.indexOf(closingMarker(block), from)).join('\n');
}

describe('shared SDL blocks', () => {
  it('are up to date in every subgraph SDL file', () => {
    const stale = staleSdlFiles(subgraphSdlPaths()).map((p) => relative(REPO, p));
    if (stale.length > 0) {
      throw new Error(`The shared SDL blocks in ${stale.join(', ')} differ from schemas/shared/: run npm run compose`);
    }
  });

  it('are each carried by some subgraph, so the shared file is not left behind unchecked', () => {
    const carried = new Set(subgraphSdlPaths().flatMap((p) => sharedBlocksIn(readFileSync(p, 'utf8'), p)));
    expect([...carried].sort()).toEqual([...SHARED_SDL_BLOCKS].sort());
  });

  describe('refreshing a copy of the schemas', () => {
    let dir: string;
    let copies: string[];
    let paths: string[];
    let before: Map<string, string>;
    const shared = readSharedSdl();
    const changed = { ...shared, [BLOCK]: shared[BLOCK].replace('enum MeasureStatus {\n', 'enum MeasureStatus {\n  "A status added for the test."\n  ADDED_FOR_TEST\n') };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'shared-sdl-'));
      copies = subgraphSdlPaths().map((p) => {
        const copy = join(dir, basename(p));
        copyFileSync(p, copy);
        return copy;
      });
      // One file with text on both sides of its block, so "outside" is more than a prefix.
      const around = join(dir, 'around.graphql');
      writeFileSync(around, `scalar Before\n\n${openingMarker(BLOCK)}\nold text\n${closingMarker(BLOCK)}\n\n"After the block."\nscalar After\n`);
      paths = [...copies, around];
      before = new Map(paths.map((p) => [p, readFileSync(p, 'utf8')]));
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('rewrites exactly the files carrying a changed block, and nothing outside the markers', () => {
      expect(changed[BLOCK]).not.toBe(shared[BLOCK]);
      const carriers = paths.filter((p) => sharedBlocksIn(before.get(p)!).length > 0);
      expect(carriers.length).toBeGreaterThan(1);

      expect(refreshSdlFiles(paths, changed).sort()).toEqual([...carriers].sort());
      for (const p of paths) {
        const after = readFileSync(p, 'utf8');
        expect({ file: basename(p), outside: outsideBlocks(after) }).toEqual({ file: basename(p), outside: outsideBlocks(before.get(p)!) });
        if (carriers.includes(p)) expect(body(after, BLOCK)).toBe(changed[BLOCK].trimEnd());
        else expect(after).toBe(before.get(p));
      }
    });

    it('is idempotent', () => {
      refreshSdlFiles(paths, changed);
      const once = paths.map((p) => readFileSync(p, 'utf8'));
      expect(refreshSdlFiles(paths, changed)).toEqual([]);
      expect(staleSdlFiles(paths, changed)).toEqual([]);
      expect(paths.map((p) => readFileSync(p, 'utf8'))).toEqual(once);
    });

    it('reports a copy edited by hand as stale, and restores it', () => {
      const [edited] = copies.filter((p) => sharedBlocksIn(before.get(p)!).length > 0);
      writeFileSync(edited!, before.get(edited!)!.replace('  SUBMITTED\n', '  SUBMITTED_BY_HAND\n'));
      expect(staleSdlFiles(copies, shared)).toEqual([edited]);
      expect(refreshSdlFiles(copies, shared)).toEqual([edited]);
      expect(readFileSync(edited!, 'utf8')).toBe(before.get(edited!));
    });

    it('writes no file when one has a marker left open', () => {
      const broken = join(dir, 'broken.graphql');
      writeFileSync(broken, `scalar X\n${openingMarker(BLOCK)}\nscalar Y\n`);
      expect(() => refreshSdlFiles([...paths, broken], changed)).toThrow(`${broken}:2: ${BLOCK} is opened but never closed`);
      for (const p of paths) expect(readFileSync(p, 'utf8')).toBe(before.get(p));
    });
  });

  it.each([
    ['a closing marker without its opening', `scalar X\n${closingMarker(BLOCK)}\n`, `f:2: ${closingMarker(BLOCK)} closes a block that is not open`],
    ['a block carried twice', `${openingMarker(BLOCK)}\n${closingMarker(BLOCK)}\n${openingMarker(BLOCK)}\n${closingMarker(BLOCK)}\n`, `f:3: ${BLOCK} is already carried`],
    ['a marker naming no shared block', '# <shared nothing.graphql>\n# </shared nothing.graphql>\n', 'f:1: marker names nothing.graphql, which is not a shared block'],
  ])('refuses %s, naming the file and line', (_, sdl, message) => {
    expect(() => renderSharedBlocks(sdl, readSharedSdl(), 'f')).toThrow(message);
  });
});
