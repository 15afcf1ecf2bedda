import type { BadUserInputReason } from '../../lib/errors/catalog';

/**
 * Why an identifier was refused. `reason` is a stable machine word (clients branch on it);
 * `message` is a sentence for the officer that names what is wrong and never echoes more
 * of the input than needed.
 */
export type InvalidReason = BadUserInputReason;

export interface Invalid {
  ok: false;
  reason: InvalidReason;
  message: string;
}

export interface Valid<T> {
  ok: true;
  value: T;
}

export type Checked<T> = Valid<T> | Invalid;

export function invalid(reason: InvalidReason, message: string): Invalid {
  return { ok: false, reason, message };
}

export function valid<T>(value: T): Valid<T> {
  return { ok: true, value };
}

/**
 * Upper-cases ASCII letters only. String#toUpperCase maps some non-ASCII letters onto ASCII
 * ones (ſ -> S, ß -> SS), which would let look-alike input pass and change the length.
 */
export function asciiUpperCase(input: string): string {
  return input.replace(/[a-z]+/g, (s) => s.toUpperCase());
}
