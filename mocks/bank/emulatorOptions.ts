/** Options every bank emulator takes. */
export interface BankEmulatorOptions {
  /** @default 0 (ephemeral) */
  port?: number;
  /** The bank's answer time; each bank has its own default. */
  latencyMs?: number;
  /** @default '127.0.0.1' */
  host?: string;
}
