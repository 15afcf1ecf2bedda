/**
 * `npm run gateway`: the gateway alone, configured by its environment (README "Gateway
 * configuration": gateway/config.ts, with SUBGRAPH_URL_<NAME> pointing at each subgraph), as each
 * replica of the province runs behind the load balancer:
 *
 *   NODE_ENV=production SUBGRAPH_SECRET_FILE=/run/secrets/subgraph_secret ... npm run gateway
 *
 * A bad or missing variable refuses the start, naming it (exit 2). Once up it prints
 * `READY {"gateway":"<url>"}`. SIGTERM or SIGINT stops it as npm start does (gracefulStop.ts): no
 * new connections, requests in flight finish, a last audit checkpoint, exit 0.
 */
import { type GatewayConfig, loadGatewayConfig } from '../gateway/config';
import { startGateway } from '../gateway/createGateway';
import { stopGracefullyOnSignals } from './gracefulStop';

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const gateway = await startGateway(config);
  console.log(`The gateway listens at ${gateway.url}.`);
  console.log(`READY ${JSON.stringify({ gateway: gateway.url })}`);
  stopGracefullyOnSignals({
    httpServer: gateway.httpServer,
    stop: () => gateway.stop(),
    draining: (signal) =>
      `${signal}: the gateway takes no new connections and finishes the requests in flight; then its audit store closes (${signal} again after a second, or another signal, exits at once).`,
  });
}

main().catch((error: unknown) => {
  console.error(`npm run gateway failed: ${(error as Error).message}`);
  process.exit(1);
});
