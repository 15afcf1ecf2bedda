import { createHash } from 'node:crypto';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ErrorCode } from '../../lib/errors/catalog';
import { requestError } from '../../lib/errors/codedError';
import type { Caller, GatewayContext } from '../context';

/** `points` operations per `duration` seconds. */
export interface RateBudget {
  points: number;
  duration: number;
}

export interface RateLimitOptions {
  /**
   * Per court (the verified court code), shared by all its officers. 600 a minute is ten
   * operations a second for the whole court, far above interactive dossier work; bulk sweeps
   * go through `persons`/`companies` (1,000 subjects in one operation), not many operations.
   * @default { points: 600, duration: 60 }
   */
  court?: RateBudget;
  /**
   * Per citizen (the verified ID number), for "who looked at me". @default { points: 30, duration: 60 }
   */
  citizen?: RateBudget;
  /**
   * Per client address (`contextValue.clientAddress`: the socket's, or what a trusted proxy
   * forwarded; an IPv6 /64), for every request without a verified caller: no token, or one
   * that was refused. 600 a minute: an address floods no faster than one court may ask, and
   * a court's own requests never count here, whatever its address. Requests with no known
   * address share one budget.
   * @default { points: 600, duration: 60 }
   */
  anonymous?: RateBudget;
  /**
   * Redis shared by all gateway replicas (`REDIS_URL`), or a client the caller owns; without it
   * each replica counts in its own memory. @default undefined (memory)
   */
  redis?: string | Redis;
  /** Prefix of every key in Redis and memory. @default 'cag:rate' */
  keyPrefix?: string;
  /**
   * How long one Redis round trip may take before the replica's memory budget decides instead.
   * @default 200
   */
  redisTimeoutMs?: number;
}

export const RATE_LIMIT_DEFAULTS: Required<Omit<RateLimitOptions, 'redis'>> & Pick<RateLimitOptions, 'redis'> = {
  court: { points: 600, duration: 60 },
  citizen: { points: 30, duration: 60 },
  anonymous: { points: 600, duration: 60 },
  redis: undefined,
  keyPrefix: 'cag:rate',
  redisTimeoutMs: 200,
};

/** The error of a refused request; `extensions.retryAfter` repeats the `retry-after` header. */
export const RATE_LIMITED = 'RATE_LIMITED' satisfies ErrorCode;

type Decision = { allowed: true } | { allowed: false; retryAfter: number; who: string } | { allowed: true; failure: Error };

/**
 * Rate limit per caller: the court from the verified token (never an address or a header), or
 * the citizen by ID number; a request without a verified caller per client address. An
 * operation over budget is refused before execution with RATE_LIMITED, HTTP 429 and
 * `retry-after` (seconds).
 *
 * A request is counted once its caller is known and before its document is parsed
 * (authentication runs in `requestDidStart`; this counts in `didResolveSource`), so documents
 * that fail to parse or validate, or exceed the query limits, spend the budget too. The refusal
 * comes in `didResolveOperation` (a request whose caller changed by then is counted again for
 * it); put this plugin before authorization, so an operation over budget is refused as such.
 *
 * If Redis cannot answer (down, not yet connected, slower than `redisTimeoutMs`), each replica
 * falls back to its own in-memory budget of the same size: enforcement work goes on, a flood
 * is still stopped, and during the outage a court's budget is at most N times larger with N
 * replicas. Failing closed would stop every court's enforcement whenever Redis blinks; failing
 * open would leave the agencies unprotected.
 */
export function rateLimitPlugin(options: RateLimitOptions = {}): ApolloServerPlugin<GatewayContext> {
  const keyPrefix = options.keyPrefix ?? RATE_LIMIT_DEFAULTS.keyPrefix;
  const timeoutMs = options.redisTimeoutMs ?? RATE_LIMIT_DEFAULTS.redisTimeoutMs;
  const given = options.redis ?? RATE_LIMIT_DEFAULTS.redis;
  const owned = typeof given === 'string';
  const redis = typeof given === 'string' ? new Redis(given, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, disconnectTimeout: 200 }) : given;
  const limiters = {
    court: makeLimiter(options.court ?? RATE_LIMIT_DEFAULTS.court, `${keyPrefix}:court`, redis, timeoutMs),
    citizen: makeLimiter(options.citizen ?? RATE_LIMIT_DEFAULTS.citizen, `${keyPrefix}:citizen`, redis, timeoutMs),
    anonymous: makeLimiter(options.anonymous ?? RATE_LIMIT_DEFAULTS.anonymous, `${keyPrefix}:address`, redis, timeoutMs),
  };

  const decide = async (caller: Caller | undefined, clientAddress: string | undefined): Promise<Decision> => {
    const [limiter, key, who] =
      caller === undefined
        ? [limiters.anonymous, clientAddress ?? 'unknown', 'this address']
        : caller.kind === 'court'
          ? [limiters.court, caller.court, 'this court']
          : // Hashed so ID numbers do not sit in Redis in plain text (not a secret: the ID space is small).
            [limiters.citizen, createHash('sha256').update(caller.idNumber).digest('hex').slice(0, 32), 'this citizen'];
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return { allowed: false, retryAfter: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)), who };
      // Neither Redis nor the memory fallback answered: a bug, not a flood. Let the request pass.
      return { allowed: true, failure: outcome instanceof Error ? outcome : new Error(String(outcome)) };
    }
  };

  return {
    async serverWillStart({ logger }) {
      if (owned && redis) await connect(redis, (message) => logger.warn(message));
      return {
        async serverWillStop() {
          if (owned && redis) await (redis.status === 'ready' ? redis.quit().then(() => {}, () => redis.disconnect()) : redis.disconnect());
        },
      };
    },
    async requestDidStart() {
      let counted: { caller: Caller | undefined; decision: Decision } | undefined;
      const count = async (contextValue: GatewayContext): Promise<Decision> => {
        if (counted === undefined || counted.caller !== contextValue.caller) {
          const caller = contextValue.caller;
          counted = { caller, decision: await decide(caller, contextValue.clientAddress) };
        }
        return counted.decision;
      };
      return {
        async didResolveSource({ contextValue }) {
          // Counted and decided before parsing (a refusal thrown here would be a 500) ...
          await count(contextValue);
        },
        async didResolveOperation({ contextValue, logger }) {
          // ... and refused here, synchronously when the caller is the one counted: this plugin
          // comes before authorization, so its refusal is the answer, not a race with another.
          const decision = counted !== undefined && counted.caller === contextValue.caller ? counted.decision : await count(contextValue);
          if ('failure' in decision) logger.warn(`Rate limit not applied: ${decision.failure.message}`);
          if (decision.allowed) return;
          throw requestError(
            RATE_LIMITED,
            `Too many requests from ${decision.who}; retry after ${decision.retryAfter} seconds.`,
            { retryAfter: decision.retryAfter },
            { headers: new HeaderMap([['retry-after', String(decision.retryAfter)]]) },
          );
        },
      };
    },
  };
}

/**
 * Connects the plugin's own client, waiting briefly so the first requests count in Redis, never
 * holding the gateway's start for an unreachable Redis; ioredis goes on reconnecting. An outage
 * is reported once, not on every retry.
 */
async function connect(redis: Redis, warn: (message: string) => void): Promise<void> {
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) warn(`Rate limits fall back to each replica's memory: Redis is unreachable (${error.message}).`);
    down = true;
  });
  redis.on('ready', () => void (down = false));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    redis.connect().catch(() => {}),
    new Promise<void>((resolve) => void (timer = setTimeout(resolve, REDIS_CONNECT_WAIT_MS))),
  ]);
  clearTimeout(timer);
}

/** How long the gateway's start waits for Redis before counting in memory meanwhile. */
const REDIS_CONNECT_WAIT_MS = 1000;

function makeLimiter(budget: RateBudget, keyPrefix: string, redis: Redis | undefined, timeoutMs: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ ...budget, keyPrefix });
  if (!redis) return memory;
  const shared = new RateLimiterRedis({ ...budget, keyPrefix, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  return new RLWrapperTimeouts({ limiter: shared, timeoutMs, insuranceLimiter: memory });
}
