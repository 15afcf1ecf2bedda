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

export interface GatewayPluginsOptions {
  logger: Logger;
  /** The query limits (queryLimits()); only their plugins go here, their rules and parse options to Apollo Server itself. */
  limits: QueryLimitsConfig;
  rateLimit: RateLimitOptions;
  metrics: MetricsPluginOptions;
  authorization: AuthorizationOptions;
  /** Apollo Server's plugins for the HTTP server it runs in (serveGraphQL: drain on stop). */
  server: ApolloServerPlugin<GatewayContext>[];
  /** Production: no landing page (Sandbox). */
  production: boolean;
}

/**
 * The gateway's plugins, in the order Apollo Server runs each of their hooks:
 *
 * 1. requestLogging: one line per request, whatever stops it later.
 * 2. metrics: every request counted and timed from the start, whatever stops it later.
 * 3. limits: depth, cost, aliases, tokens, directives; suggestions hidden; anonymous requests held lower.
 * 4. operationChoice: one runnable operation, or the refusal is the answer.
 * 5. rateLimit: per court, citizen or client address, refused as such (429) whoever sent it.
 * 6. authorization: the caller from the token, the roles, the case binding.
 * 7. audit: what Apollo Server answered, recorded before the answer leaves.
 * 8. the HTTP server's own (drain), and no landing page in production.
 *
 * A new cross-cutting concern is one file in this folder and one line here.
 */
export function gatewayPlugins(options: GatewayPluginsOptions): ApolloServerPlugin<GatewayContext>[] {
  return [
    requestLoggingPlugin({ logger: options.logger }),
    // Beside the log: the limits and refusals after it are counted too.
    metricsPlugin(options.metrics),
    ...options.limits.plugins,
    // Before authorization: its refusal (no operation chosen, a subscription) is the answer.
    operationChoicePlugin(),
    // Before authorization: an operation over budget is refused as such (429), whoever sent it.
    rateLimitPlugin(options.rateLimit),
    authorizationPlugin(options.authorization),
    auditPlugin(),
    ...options.server,
    ...(options.production ? [ApolloServerPluginLandingPageDisabled()] : []),
  ];
}
