import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { SupergraphManager } from '@apollo/gateway';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../lib/log/logger';
import { METRICS_PREFIX } from '../../lib/metrics/metricsRegistry';
import type { AccessRules, FieldAccess } from '../authorization/accessRules';
import { type CheckedSupergraph, checkSupergraph } from './checkSupergraph';

type SupergraphSdlHookOptions = Parameters<SupergraphManager['initialize']>[0];

export interface SupergraphWatchOptions {
  /**
   * How often the file is read for a new supergraph (SUPERGRAPH_POLL_INTERVAL_MS); 0: never.
   * A poll, not fs.watch: a file replaced by rename, on a volume a deployment mounts (a
   * ConfigMap swaps a symlink), is seen alike on every platform.
   * @default 0 (a config built by hand; loadGatewayConfig: 5000)
   */
  pollIntervalMs?: number;
  logger: Logger;
  /** The gateway's registry: `cag_gateway_supergraph_reloads_total{outcome}`. */
  registry: Registry;
}

export interface SupergraphStatus {
  /** sha256 hex of the supergraph file served now. */
  id: string;
  /** New files served since the start, and files refused (each distinct file once). */
  applied: number;
  rejected: number;
}

/**
 * The supergraph the gateway serves, from its file: checked at construction (the start fails on
 * a bad one), then handed to Apollo Gateway as its SupergraphManager, which polls the file.
 * A changed file is checked (checkSupergraph.ts) and, if it passes, becomes current and goes
 * to Apollo Gateway's `update` in one synchronous step: the access rules (`rules`, a live view
 * of the current ones), the query plans (cleared and warmed again in the gateway's schema
 * listener) and the readiness follow it together, and a request in flight keeps the schema it
 * was validated against while new ones take the new. A bad file keeps the current supergraph,
 * is logged and counted once, and the next good file is taken. Replace the file atomically
 * (write beside it, then rename), or a poll may read it half written (refused, then taken).
 */
export class SupergraphSource implements SupergraphManager {
  private served: CheckedSupergraph;
  private watch: (SupergraphWatchOptions & { reloads: Counter<'outcome'> }) | undefined;
  private lastRejected: string | undefined;
  private readonly counts = { applied: 0, rejected: 0 };
  /** The access rules of the supergraph served now, whenever they are read. */
  readonly rules: AccessRules;

  constructor(private readonly path: string) {
    this.served = checkSupergraph(readFileSync(path, 'utf8'));
    this.rules = liveRules(() => this.served.rules);
  }

  get current(): CheckedSupergraph {
    return this.served;
  }

  /** Watches the file once Apollo Gateway initializes the manager (call before the gateway loads). */
  watchWith(options: SupergraphWatchOptions): void {
    const reloads = new Counter({
      name: `${METRICS_PREFIX}gateway_supergraph_reloads_total`,
      help: 'New supergraph files seen, by outcome: applied (served from then on) or rejected (the served one kept).',
      labelNames: ['outcome'] as const,
      registers: [options.registry],
    });
    this.watch = { ...options, reloads };
  }

  status(): SupergraphStatus {
    return { id: this.served.id, ...this.counts };
  }

  async initialize({ update }: SupergraphSdlHookOptions): Promise<{ supergraphSdl: string; cleanup: () => Promise<void> }> {
    const watch = this.watch;
    let timer: NodeJS.Timeout | undefined;
    if (watch && (watch.pollIntervalMs ?? 0) > 0) {
      let polling = false;
      const poll = async () => {
        if (polling) return;
        polling = true;
        try {
          const outcome = await this.reload(update, watch.logger);
          if (outcome) watch.reloads.inc({ outcome });
        } finally {
          polling = false;
        }
      };
      timer = setInterval(() => void poll(), watch.pollIntervalMs);
      timer.unref();
    }
    return { supergraphSdl: this.served.executableSdl, cleanup: async () => clearInterval(timer) };
  }

  /** One look at the file: nothing new, or the new file applied or rejected. Never throws. */
  private async reload(update: SupergraphSdlHookOptions['update'], logger: Logger): Promise<'applied' | 'rejected' | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      return this.reject(createHash('sha256').update(`unreadable:${(error as Error).message}`).digest('hex'), error, logger);
    }
    const id = createHash('sha256').update(text).digest('hex');
    if (id === this.served.id || id === this.lastRejected) return undefined;
    const previous = this.served;
    try {
      const next = checkSupergraph(text, previous);
      // Rules and schema switch together: nothing runs between these two statements.
      this.served = next;
      update(next.executableSdl);
    } catch (error) {
      this.served = previous;
      return this.reject(id, error, logger);
    }
    this.lastRejected = undefined;
    this.counts.applied += 1;
    logger.info({ supergraph: this.path, id }, 'supergraph reloaded');
    return 'applied';
  }

  private reject(id: string, error: unknown, logger: Logger): 'rejected' | undefined {
    if (id === this.lastRejected) return undefined;
    this.lastRejected = id;
    this.counts.rejected += 1;
    logger.error({ supergraph: this.path, id, error: (error as Error).message }, 'supergraph not reloaded: the served one is kept');
    return 'rejected';
  }
}

/** A ReadonlyMap that reads through to `rules()` on every call. */
function liveRules(rules: () => AccessRules): AccessRules {
  return {
    get: (key: string) => rules().get(key),
    has: (key: string) => rules().has(key),
    forEach: (callback: (value: FieldAccess, key: string, map: AccessRules) => void) => rules().forEach(callback),
    get size() {
      return rules().size;
    },
    entries: () => rules().entries(),
    keys: () => rules().keys(),
    values: () => rules().values(),
    [Symbol.iterator]: () => rules()[Symbol.iterator](),
  };
}
