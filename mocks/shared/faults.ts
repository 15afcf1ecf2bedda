/**
 * What an emulator does wrong on purpose, for tests and benchmarks. Set per emulator at
 * run time (programmatically or `POST /__faults`), so one stack can show every failure.
 */
export type FaultMode =
  | 'none'
  | 'down' // connection reset before any answer
  | 'error500' // HTTP 500 in the agency's own error shape
  | 'garbage' // 200 with a body that is not JSON
  | 'wrongShape' // 200 with JSON the client does not expect
  | 'truncated' // 200 whose JSON body stops half-way
  | 'hang'; // accepts the request and never answers

export interface Faults {
  /** Added to every answer, on top of the agency's own latency. @default 0 */
  extraLatencyMs: number;
  /** @default 'none' */
  mode: FaultMode;
}

export const NO_FAULTS: Faults = { extraLatencyMs: 0, mode: 'none' };

export const FAULT_MODES: readonly FaultMode[] = ['none', 'down', 'error500', 'garbage', 'wrongShape', 'truncated', 'hang'];
