import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onStopSignals } from './stopSignals';

/** How long a graceful stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 30_000;
/** How long requests on connections accepted before the signal have to be read before the drain. */
const ACCEPTED_READ_GRACE_MS = 500;

export interface GracefulStopOptions {
  /** The server that stops accepting at the first signal (the gateway's, or a lone subgraph's). */
  httpServer: net.Server;
  /** Drains the requests in flight and stops everything else; the process then exits 0. */
  stop(): Promise<void>;
  /** What the first signal prints: what stops, in which order. */
  draining(signal: NodeJS.Signals): string;
}

/**
 * A server process's stop signals (npm start, npm run subgraph): the first SIGTERM or SIGINT
 * stops it gracefully and exits 0; its duplicate is ignored (stopSignals.ts); another signal,
 * or a stop taking longer than STOP_DEADLINE_MS, exits at once with 1.
 */
export function stopGracefullyOnSignals(options: GracefulStopOptions): void {
  const stop = (signal: NodeJS.Signals) => {
    console.log(`\n${options.draining(signal)}`);
    setTimeout(() => {
      console.error(`Still stopping after ${STOP_DEADLINE_MS / 1000} s: exiting.`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    // Stop accepting at once, but leave accepted connections alone for a moment: http.Server#close
    // (which the drain calls) also ends every connection it deems idle, and a connection whose
    // request has arrived but not been read yet looks idle: its request would be cut unanswered.
    // Once read, a request is in flight and the drain waits for it.
    net.Server.prototype.close.call(options.httpServer);
    sleep(ACCEPTED_READ_GRACE_MS)
      .then(() => options.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  onStopSignals({
    drain: stop,
    duplicate: (signal, afterMs) => console.log(`${signal} again ${Math.round(afterMs)} ms later: the same stop (sent to the process group, forwarded by npm).`),
    forceExit: (signal) => {
      console.log(`${signal} again: exiting without waiting for requests in flight.`);
      process.exit(1);
    },
  });
}
