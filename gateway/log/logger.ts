import pino, { type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';
import { maskIdentifiers } from './maskIdentifiers';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** @default logLevelFromEnv(process.env) */
  level?: LogLevel;
  /** Where lines go; a stream that throws loses the line, never the request. @default standard output */
  destination?: DestinationStream;
}

const logEnvSchema = z.object({
  /** @default 'info' ('silent' when NODE_ENV is 'test') */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  NODE_ENV: z.string().optional(),
});

/** `LOG_LEVEL` if set; otherwise 'silent' under tests (Jest sets NODE_ENV=test) and 'info' elsewhere. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = logEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid LOG_LEVEL "${env.LOG_LEVEL}": use one of ${LOG_LEVELS.join(', ')}.`);
  return parsed.data.LOG_LEVEL ?? (parsed.data.NODE_ENV === 'test' ? 'silent' : 'info');
}

/**
 * The gateway's JSON-lines logger (pino). Every line is passed through `maskIdentifiers` as it
 * is written, whatever logged it (messages, objects, child bindings, errors and their stacks),
 * so no resident ID, credit code, account number or VIN reaches a log in full.
 * Pass it to Apollo Server as `logger` too, so the server's own warnings are masked alike.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFromEnv();
  const settings = { level, hooks: { streamWrite: maskLine } };
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
