import pino, { type DestinationStream, type Logger } from 'pino';
import { maskIdentifiers } from './maskIdentifiers';
import { activeTraceIds } from '../tracing/traceIds';

export type { DestinationStream, Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** From the process's configuration (the gateway's: LOG_LEVEL in gateway/config.ts). */
  level: LogLevel;
  /** Where lines go; a stream that throws loses the line, never the request. @default standard output */
  destination?: DestinationStream;
}

/**
 * A JSON-lines logger (pino). Every line is passed through `maskIdentifiers` as it is written,
 * whatever logged it (messages, objects, child bindings, errors and their stacks), so no
 * resident ID, credit code, account number or VIN reaches a log in full.
 * Pass it to Apollo Server as `logger` too, so the server's own warnings are masked alike.
 * A line written inside a span carries its `trace_id` and `span_id` (lib/tracing/traceIds.ts).
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = { level: options.level, hooks: { streamWrite: maskLine }, mixin: activeTraceIds };
  return options.destination ? pino(settings, neverThrowing(options.destination)) : pino(settings);
}

function maskLine(line: string): string {
  try {
    return maskIdentifiers(line);
  } catch {
    // Never write what could not be masked.
    return `${JSON.stringify({ level: 50, time: Date.now(), msg: 'A log line was dropped: masking personal identifiers failed.' })}\n`;
  }
}

function neverThrowing(destination: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      try {
        destination.write(line);
      } catch {
        // A lost log line is not worth a refused request.
      }
    },
  };
}
