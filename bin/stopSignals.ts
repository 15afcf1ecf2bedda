/**
 * Which signals stop `npm start`, and which of them are one stop. A signal to the process
 * group (a terminal's Ctrl-C, `kill -- -pgid`, a service manager's stop) reaches the server
 * twice: once from the kernel and once more as npm forwards its own copy, a few ms apart
 * (or once, when the two coalesce). Signalling npm alone reaches the server once, forwarded.
 * So the same signal again within `sameSignalWindowMs` of the first is that stop's
 * duplicate; another signal, or the same one later (a human's second Ctrl-C), forces exit.
 */
export interface StopSignalOptions {
  /** Starts the graceful stop: called once, on the first signal. */
  drain(signal: NodeJS.Signals): void;
  /** Exits at once: a second stop signal that is not the first one's duplicate. */
  forceExit(signal: NodeJS.Signals): void;
  /** A duplicate of the first signal, ignored (`afterMs` after it). @default nothing */
  duplicate?(signal: NodeJS.Signals, afterMs: number): void;
  /** @default ['SIGINT', 'SIGTERM'] */
  signals?: readonly NodeJS.Signals[];
  /**
   * How long after the first signal the same signal again still counts as its duplicate.
   * Long against the few ms between the kernel's copy and npm's, even on a loaded machine;
   * short against a human pressing Ctrl-C again. @default 1000
   */
  sameSignalWindowMs?: number;
  /** A monotonic clock in ms. @default performance.now */
  now?: () => number;
  /** Where the signals arrive. @default process */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export const DEFAULT_SAME_SIGNAL_WINDOW_MS = 1000;

/** Listens for the stop signals until the returned function is called. */
export function onStopSignals(options: StopSignalOptions): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const windowMs = options.sameSignalWindowMs ?? DEFAULT_SAME_SIGNAL_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const target = options.target ?? process;
  let first: { signal: NodeJS.Signals; at: number } | undefined;

  const listener = (signal: NodeJS.Signals) => {
    const at = now();
    if (first === undefined) {
      first = { signal, at };
      options.drain(signal);
    } else if (signal === first.signal && at - first.at <= windowMs) {
      options.duplicate?.(signal, at - first.at);
    } else {
      options.forceExit(signal);
    }
  };
  for (const signal of signals) target.on(signal, listener);
  return () => {
    for (const signal of signals) target.off(signal, listener);
  };
}
