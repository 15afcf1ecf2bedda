import type { AuditChain } from '../auditChain';
import { type CheckpointKey, type CheckpointKeySource, loadCheckpointKey } from './checkpointKey';
import { signCheckpoint } from './checkpointSignature';
import { CheckpointFile, type StoredCheckpoint } from './checkpointStore';
import { requestTimestamp } from './checkpointTimestamp';

/** Where and how a gateway checkpoints its audit chain (the gateway reads it from its environment, AUDIT_CHECKPOINT_*). */
export interface AuditCheckpointConfig {
  /** The directory checkpoint files are appended in (AUDIT_CHECKPOINT_DIR); created if missing. */
  dir: string;
  /** The signing key (AUDIT_CHECKPOINT_KEY_FILE or AUDIT_CHECKPOINT_KEY; outside production a generated one). */
  key: CheckpointKeySource;
  /** How often the head is checkpointed, if it moved (AUDIT_CHECKPOINT_INTERVAL_MS). @default 10000 */
  intervalMs?: number;
  /** RFC 3161 time-stamping of each checkpoint (AUDIT_TSA_URL, AUDIT_TSA_TIMEOUT_MS). @default none */
  tsa?: { url: string; timeoutMs?: number };
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;

/** Runs `run` once after `ms`; returns how to cancel it. */
export type Schedule = (run: () => void, ms: number) => () => void;

/** setTimeout, unref'd: a pending checkpoint never keeps a process alive. */
const timerSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** What the checkpointer reports; the gateway passes its logger. */
export interface CheckpointReporter {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface AuditCheckpointerOptions {
  log: Pick<AuditChain, 'chainHead' | 'table'>;
  key: CheckpointKey;
  store: Pick<CheckpointFile, 'append'>;
  /** @default DEFAULT_CHECKPOINT_INTERVAL_MS */
  intervalMs?: number;
  /** @default none (checkpoints are not time-stamped) */
  tsa?: { url: string; timeoutMs?: number };
  /** The time a checkpoint states. @default () => new Date() */
  now?: () => Date;
  /** @default setTimeout, unref'd */
  schedule?: Schedule;
  /** @default silent */
  reporter?: CheckpointReporter;
}

/** A checkpoint as written, for tests and the benchmark. */
export interface WrittenCheckpoint extends StoredCheckpoint {
  headId: number;
  at: string;
}

export interface CheckpointStats {
  written: number;
  stamped: number;
  /** Written without a time-stamp because the TSA failed. */
  unstamped: number;
  /** Checkpoints that could not be made (head not readable, file not writable). */
  failed: number;
}

const silent: CheckpointReporter = { warn: () => {}, error: () => {} };

/**
 * Signs the audit chain's head every `intervalMs` when it moved, and once more on `stop`,
 * and appends the checkpoint to the store. It runs beside the request path, never on it: it
 * only reads the head (one indexed query) and then signs, time-stamps and writes on its own;
 * an append never waits for it. A failure (database, disk, TSA) is reported and retried at
 * the next interval; a TSA failure leaves that checkpoint unstamped, with the reason stored.
 * One checkpoint at a time.
 */
export class AuditCheckpointer {
  readonly stats: CheckpointStats = { written: 0, stamped: 0, unstamped: 0, failed: 0 };
  private lastHeadId: number | undefined;
  private inFlight: Promise<WrittenCheckpoint | undefined> = Promise.resolve(undefined);
  private cancel: (() => void) | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly now: () => Date;
  private readonly schedule: Schedule;
  private readonly reporter: CheckpointReporter;

  constructor(private readonly options: AuditCheckpointerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs < 1) throw new Error('The audit checkpoint interval must be a positive integer of ms.');
    this.now = options.now ?? (() => new Date());
    this.schedule = options.schedule ?? timerSchedule;
    this.reporter = options.reporter ?? silent;
  }

  /** Starts the schedule: the first checkpoint `intervalMs` from now. */
  start(): void {
    if (this.stopped || this.cancel) return;
    this.arm();
  }

  /**
   * Checkpoints the head now, unless it is where the last checkpoint left it (or the log is
   * empty): resolves with what was written, or undefined. Waits for one in flight first.
   * Rejects if the head cannot be read or the checkpoint not written.
   */
  checkpoint(): Promise<WrittenCheckpoint | undefined> {
    const next = this.inFlight.catch(() => undefined).then(() => this.write());
    this.inFlight = next;
    return next;
  }

  /** Stops the schedule, lets a checkpoint in flight finish, then checkpoints the final head. Never rejects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
    await this.checkpoint().catch((error: unknown) => this.failed(error));
  }

  private arm(): void {
    this.cancel = this.schedule(() => {
      this.cancel = undefined;
      void this.checkpoint()
        .catch((error: unknown) => this.failed(error))
        .finally(() => {
          if (!this.stopped) this.arm();
        });
    }, this.intervalMs);
  }

  private async write(): Promise<WrittenCheckpoint | undefined> {
    const { log, key, store, tsa } = this.options;
    const head = await log.chainHead();
    if (!head || head.id === this.lastHeadId) return undefined;
    const at = this.now().toISOString();
    const checkpoint = await signCheckpoint({ table: log.table, at, headId: head.id, headHash: head.hash }, key);
    const entry: StoredCheckpoint = { checkpoint };
    if (tsa) {
      try {
        const token = await requestTimestamp(tsa.url, new TextEncoder().encode(checkpoint), { timeoutMs: tsa.timeoutMs });
        entry.timestamp = { tsa: tsa.url, token: Buffer.from(token).toString('base64') };
      } catch (error) {
        // The checkpoint stands without: signed, and kept with the reason.
        const reason = error instanceof Error ? error.message : String(error);
        entry.timestamp = { tsa: tsa.url, error: reason };
        this.reporter.warn({ tsa: tsa.url, headId: head.id, reason }, 'Audit checkpoint kept without an RFC 3161 time-stamp: the TSA failed');
      }
    }
    await store.append(entry);
    this.lastHeadId = head.id;
    this.stats.written += 1;
    if (entry.timestamp && 'token' in entry.timestamp) this.stats.stamped += 1;
    if (entry.timestamp && 'error' in entry.timestamp) this.stats.unstamped += 1;
    return { ...entry, headId: head.id, at };
  }

  private failed(error: unknown): void {
    this.stats.failed += 1;
    this.reporter.error({ err: error }, 'Audit checkpoint could not be made; trying again at the next interval');
  }
}

/**
 * Opens what a gateway's checkpointer needs (the key, its file in the directory) and starts
 * it. Fails if the key cannot be loaded or the directory not written, so a gateway with a
 * checkpoint configuration it cannot honour does not start.
 */
export async function startAuditCheckpointer(
  log: AuditCheckpointerOptions['log'],
  config: AuditCheckpointConfig,
  extra: Pick<AuditCheckpointerOptions, 'now' | 'schedule' | 'reporter'> = {},
): Promise<{ checkpointer: AuditCheckpointer; file: CheckpointFile; stop(): Promise<void> }> {
  const key = await loadCheckpointKey(config.key);
  const file = await CheckpointFile.open(config.dir, log.table);
  try {
    const checkpointer = new AuditCheckpointer({ log, key, store: file, intervalMs: config.intervalMs, tsa: config.tsa, ...extra });
    checkpointer.start();
    return {
      checkpointer,
      file,
      async stop() {
        await checkpointer.stop();
        await file.close();
      },
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}
