import type { AgencyControlOptions } from '../shared/measures/controlDesk';

/** Options every bank emulator takes. */
export interface BankEmulatorOptions {
  /** @default 0 (ephemeral) */
  port?: number;
  /** The bank's answer time; each bank has its own default. */
  latencyMs?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The bank's measure book (freezes, deductions); without it the bank answers inquiries only. */
  control?: AgencyControlOptions;
  /** Base URL of the court case system, whose case account receives deducted funds. */
  courtUrl?: string;
}
