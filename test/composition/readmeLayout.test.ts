import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/repoRoot';

/**
 * The README's Layout section is how a newcomer finds a concept by its folder: every folder of
 * the code's top-level rooms, and every folder one level inside them, is named in its room's
 * paragraph, and nothing the paragraph calls a folder is missing from the tree.
 */
const ROOMS = ['schemas', 'subgraphs', 'mocks', 'gateway', 'lib', 'workers', 'stack', 'bin', 'bench', 'examples', 'test'];
/** Written by the benchmark, not code. */
const IGNORED = new Set(['bench/results']);

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const layout = /## Layout\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';

/** Each room's paragraph: from its line starting `room/` to the next room's. */
function paragraphs(): Map<string, string> {
  const found = new Map<string, string>();
  let room: string | undefined;
  for (const line of layout.split('\n')) {
    const head = /^([a-z-]+)\/\s/.exec(line)?.[1];
    if (head) room = head;
    if (room) found.set(room, `${found.get(room) ?? ''}${line.slice(head ? head.length + 1 : 0)}\n`);
  }
  return found;
}

const folders = (room: string) =>
  readdirSync(join(REPO_ROOT, room)).filter((name) => statSync(join(REPO_ROOT, room, name)).isDirectory() && !IGNORED.has(`${room}/${name}`));

describe("the README's Layout section", () => {
  const byRoom = paragraphs();

  it('has a paragraph for every room, in which the room is a top-level folder', () => {
    expect(layout).not.toBe('');
    expect([...byRoom.keys()].sort()).toEqual([...ROOMS].sort());
  });

  it.each(ROOMS)('names every folder directly inside %s/ as `name/`', (room) => {
    const text = byRoom.get(room) ?? '';
    const unnamed = folders(room).filter((name) => !new RegExp(`(?<![\\w./-])${name.replace(/-/g, '\\-')}/`).test(text));
    expect(unnamed).toEqual([]);
  });

  it.each(ROOMS)('calls nothing in %s/ a folder that the tree lacks', (room) => {
    const text = byRoom.get(room) ?? '';
    const named = [...text.matchAll(/(?<![\w./-])([a-z][\w-]*)\/(?![\w])/g)].map((m) => m[1] ?? '');
    const exists = (name: string) => [join(room, name), ...folders(room).map((f) => join(room, f, name)), name].some((p) => {
      try {
        return statSync(join(REPO_ROOT, p)).isDirectory();
      } catch {
        return false;
      }
    });
    expect(named.filter((name) => !exists(name))).toEqual([]);
  });
});
