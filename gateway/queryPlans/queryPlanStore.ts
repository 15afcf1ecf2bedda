import type { GatewayConfig as ApolloGatewayConfig } from '@apollo/gateway';

/** The cache type `ApolloGateway` accepts in `queryPlannerConfig.cache` (a public option). */
export type QueryPlanCache = NonNullable<NonNullable<ApolloGatewayConfig['queryPlannerConfig']>['cache']>;
type QueryPlan = NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>;

/**
 * ApolloGateway's query-plan cache, held by this gateway so it can be filled before the first
 * request (warmQueryPlans.ts). Least recently used plans go first once the plans' approximate
 * size (their JSON) passes `maxBytes`, as gateway-js's own default store does.
 */
export class QueryPlanStore implements QueryPlanCache {
  private readonly plans = new Map<string, { plan: QueryPlan; bytes: number }>();
  private bytes = 0;
  /** Look-ups answered from the store, and look-ups that made the gateway plan. */
  readonly stats = { hits: 0, misses: 0, stored: 0 };

  /** @param maxBytes @default 30 MiB, gateway-js's default */
  constructor(private readonly maxBytes = 30 * 2 ** 20) {}

  async get(key: string): Promise<QueryPlan | undefined> {
    const entry = this.plans.get(key);
    if (entry === undefined) {
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.hits += 1;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.plans.delete(key);
    this.plans.set(key, entry);
    return entry.plan;
  }

  async set(key: string, plan: QueryPlan): Promise<void> {
    this.put(key, plan);
  }

  /** `set`, at once: the warm-up runs inside gateway-js's synchronous schema listener. */
  put(key: string, plan: QueryPlan): void {
    this.remove(key);
    const bytes = Buffer.byteLength(JSON.stringify(plan), 'utf8');
    if (bytes > this.maxBytes) return;
    this.plans.set(key, { plan, bytes });
    this.bytes += bytes;
    this.stats.stored += 1;
    for (const [oldest] of this.plans) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  clear(): void {
    this.plans.clear();
    this.bytes = 0;
  }

  /** Whether a plan is stored under `key`, without counting a look-up. */
  has(key: string): boolean {
    return this.plans.has(key);
  }

  get size(): number {
    return this.plans.size;
  }

  private remove(key: string): boolean {
    const entry = this.plans.get(key);
    if (entry === undefined) return false;
    this.plans.delete(key);
    this.bytes -= entry.bytes;
    return true;
  }
}
