import { constants, createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/**
 * Where checkpoints are kept: JSON lines appended to files in a directory the operator names
 * (AUDIT_CHECKPOINT_DIR), outside the database. Not a table: the gateway's database role can
 * already not rewrite the audit log (trigger, SELECT and INSERT only); whoever can is the
 * table's owner or a superuser, and a checkpoint table in the same cluster would be theirs
 * too. A file is out of every database role's reach, works alike under PGlite and PostgreSQL,
 * and the operator can make it append-only (`chattr +a`), keep it on a volume the database
 * host cannot reach, or ship its lines on (a signed line proves itself anywhere).
 *
 * One file per chain and host (`<table>.<host>.jsonl`): replicas never write the same file,
 * a restarted gateway appends to its own. Lines are only ever appended (O_APPEND, one write
 * per line, synced), never rewritten.
 */
export interface StoredCheckpoint {
  /** The signed checkpoint (compact JWS, checkpointSignature.ts). */
  checkpoint: string;
  /** RFC 3161 time-stamping, when configured: the token, or why there is none. */
  timestamp?: { tsa: string; token: string } | { tsa: string; error: string };
}

const storedSchema = z.strictObject({
  checkpoint: z.string().min(1),
  timestamp: z.union([z.strictObject({ tsa: z.string(), token: z.base64() }), z.strictObject({ tsa: z.string(), error: z.string() })]).optional(),
});

export interface CheckpointFileOptions {
  /** Names this writer's file. @default the host name */
  instance?: string;
}

/** Appends checkpoints of one chain to this host's file in the directory. */
export class CheckpointFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the directory and opens (or creates) this host's file for appending only. */
  static async open(dir: string, table: string, options: CheckpointFileOptions = {}): Promise<CheckpointFile> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, checkpointFileName(table, options.instance ?? hostname()));
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o640);
    return new CheckpointFile(path, handle);
  }

  /** Appends one line and waits until it is on disk. */
  async append(entry: StoredCheckpoint): Promise<void> {
    await this.handle.write(`${JSON.stringify(entry)}\n`);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** `<table>.<instance>.jsonl`, the instance reduced to characters safe in a file name. */
export function checkpointFileName(table: string, instance: string): string {
  return `${table}.${instance.replace(/[^A-Za-z0-9_-]/g, '_') || 'gateway'}.jsonl`;
}

/**
 * One line of a checkpoint file as read back: the entry, why it is not one, or an unfinished
 * last line (a crash while appending; it carries no signed claim and is left out).
 */
export type CheckpointLine = { file: string; line: number } & ({ kind: 'entry'; entry: StoredCheckpoint } | { kind: 'invalid'; problem: string } | { kind: 'unfinished' });

/**
 * Streams every checkpoint file of `table` in `dir`, in file name and line order, so a year
 * of checkpoints is never held in memory at once.
 */
export async function* readCheckpoints(dir: string, table: string): AsyncGenerator<CheckpointLine> {
  // Table names have no dots, instance names neither: `audit_log.h.jsonl` is not `audit`'s.
  const ofTable = new RegExp(`^${table}\\.[A-Za-z0-9_-]+\\.jsonl$`);
  const files = (await readdir(dir)).filter((name) => ofTable.test(name)).sort();
  for (const file of files) {
    const path = join(dir, file);
    const finished = await endsWithNewline(path);
    let previous: string | undefined;
    let line = 0;
    // Each line is yielded once the next one is read, so the last one can be told apart.
    for await (const raw of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
      if (previous !== undefined) yield parseLine(file, line, previous);
      previous = raw;
      line += 1;
    }
    if (previous !== undefined) yield finished ? parseLine(file, line, previous) : { file, line, kind: 'unfinished' };
  }
}

function parseLine(file: string, line: number, raw: string): CheckpointLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { file, line, kind: 'invalid', problem: 'not JSON' };
  }
  const parsed = storedSchema.safeParse(json);
  return parsed.success ? { file, line, kind: 'entry', entry: parsed.data } : { file, line, kind: 'invalid', problem: 'not a stored checkpoint' };
}

async function endsWithNewline(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
