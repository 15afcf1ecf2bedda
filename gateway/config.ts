import { z } from 'zod';
import { SUBGRAPH_NAMES, SUPERGRAPH_PATH, type SubgraphName } from '../schemas/loadSubgraphSdl';

/** Gateway settings, read once at boot from the environment and validated; defaults stated here only. */
export const gatewayEnvSchema = z.object({
  /** @default 4000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** @default '127.0.0.1' */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `production` turns off introspection and Sandbox. @default 'development' */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** The Federation 2 supergraph to serve. @default schemas/supergraph.graphql */
  SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_PATH),
});

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  supergraphPath: string;
  /** Where each subgraph really runs, overriding the URL written in the supergraph. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
}

/** `SUBGRAPH_URL_SOCIAL_INSURANCE=http://...` overrides the social-insurance subgraph's URL. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, '_')}`;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = gatewayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid gateway configuration: ${issues}`);
  }
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const url = env[subgraphUrlVariable(name)];
    if (url !== undefined) {
      if (!z.url().safeParse(url).success) throw new Error(`Invalid gateway configuration: ${subgraphUrlVariable(name)} is not a URL`);
      subgraphUrls[name] = url;
    }
  }
  return {
    port: parsed.data.PORT,
    host: parsed.data.HOST,
    production: parsed.data.NODE_ENV === 'production',
    supergraphPath: parsed.data.SUPERGRAPH_PATH,
    subgraphUrls,
  };
}
