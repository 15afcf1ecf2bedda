import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayContext } from '../context';
import type { Logger } from '../../lib/log/logger';
import { auditPlugin } from './audit';
import { type AuthorizationOptions, authorizationPlugin } from './authorization';
import type { QueryLimitsConfig } from './limits';
import { type MetricsPluginOptions, metricsPlugin } from './metrics';
import { operationChoicePlugin } from './operationChoice';
import { type RateLimitOptions, rateLimitPlugin } from './rateLimit';
import { requestLoggingPlugin } from './requestLogging';
import { type TrustedDocumentsOptions, trustedDocumentsPlugin } from './trustedDocuments';

export interface GatewayPluginsOptions {
  logger: Logger;
  /** The query limits (queryLimits()); only their plugins go here, their rules and parse options to Apollo Server itself. */
  limits: QueryLimitsConfig;
  rateLimit: RateLimitOptions;
  /** None: no request series (only the benchmark measures without them). */
  metrics: MetricsPluginOptions | undefined;
  /** Trusted documents (TRUSTED_DOCUMENTS); `off`: every document runs. */
  trustedDocuments: TrustedDocumentsOptions;
  authorization: AuthorizationOptions;
  /** Apollo Server's plugins for the HTTP server it runs in (serveGraphQL: drain on stop). */
  server: ApolloServerPlugin<GatewayContext>[];
}

/**
 * The gateway's plugins, in the order Apollo Server runs each of their hooks:
 *
 * 1. requestLogging: one line per request, whatever stops it later.
 * 2. metrics: every request counted and timed from the start, whatever stops it later.
 * 3. trustedDocuments: an unknown document refused before it is parsed, so nothing after spends
 *    work on it (limits, the rate budget, the case lookup); after the log and metrics, which record the refusal.
 * 4. limits: depth, cost, aliases, tokens, directives; suggestions hidden; anonymous requests held lower.
 * 5. operationChoice: one runnable operation, or the refusal is the answer.
 * 6. rateLimit: per court, citizen or client address, refused as such (429) whoever sent it.
 * 7. authorization: the caller from the token, the roles, the case binding.
 * 8. audit: what Apollo Server answered, recorded before the answer leaves.
 * 9. the HTTP server's own (drain), and never Apollo's landing page (Sandbox, from a CDN): the
 *    gateway serves its own explorer (gateway/explorer/).
 *
 * A new cross-cutting concern is one file in this folder and one line here.
 */
export function gatewayPlugins(options: GatewayPluginsOptions): ApolloServerPlugin<GatewayContext>[] {
  return [
    requestLoggingPlugin({ logger: options.logger }),
    // Beside the log: the limits and refusals after it are counted too.
    ...(options.metrics ? [metricsPlugin(options.metrics)] : []),
    trustedDocumentsPlugin(options.trustedDocuments),
    ...options.limits.plugins,
    // Before authorization: its refusal (no operation chosen, a subscription) is the answer.
    operationChoicePlugin(),
    // Before authorization: an operation over budget is refused as such (429), whoever sent it.
    rateLimitPlugin(options.rateLimit),
    authorizationPlugin(options.authorization),
    auditPlugin(),
    ...options.server,
    ApolloServerPluginLandingPageDisabled(),
  ];
}
