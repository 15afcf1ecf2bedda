/**
 * Which stop signals of `npm start` are one stop: a signal to the process group reaches the
 * server twice (the kernel's copy and npm's forwarded one, ms apart); that is one drain. A
 * human's later signal, or another signal, forces exit. The clock and the signal source are
 * the test's.
 */
import { EventEmitter } from 'node:events';
import { onStopSignals } from '../../../bin/stopSignals';

function harness(sameSignalWindowMs?: number) {
  const target = new EventEmitter();
  let clock = 0;
  const events: string[] = [];
  const dispose = onStopSignals({
    target: target as unknown as NodeJS.Process,
    now: () => clock,
    ...(sameSignalWindowMs === undefined ? {} : { sameSignalWindowMs }),
    drain: (signal) => events.push(`drain ${signal}`),
    duplicate: (signal, afterMs) => events.push(`duplicate ${signal} +${afterMs}`),
    forceExit: (signal) => events.push(`exit ${signal}`),
  });
  return {
    events,
    dispose,
    listeners: (signal: string) => target.listenerCount(signal),
    signal(signal: NodeJS.Signals, atMs: number) {
      clock = atMs;
      target.emit(signal, signal);
    },
  };
}

describe('the stop signals of npm start', () => {
  it('takes a signal to the process group, delivered twice, as one drain', () => {
    const h = harness();
    h.signal('SIGINT', 10_000);
    h.signal('SIGINT', 10_003);
    expect(h.events).toEqual(['drain SIGINT', 'duplicate SIGINT +3']);
  });

  it('takes the same signal again as a duplicate for 1000 ms by default, and later as a human asking to exit at once', () => {
    const h = harness();
    h.signal('SIGTERM', 0);
    h.signal('SIGTERM', 1000);
    h.signal('SIGTERM', 1001);
    expect(h.events).toEqual(['drain SIGTERM', 'duplicate SIGTERM +1000', 'exit SIGTERM']);
  });

  it('takes another signal as asking to exit at once, however soon', () => {
    const h = harness();
    h.signal('SIGTERM', 0);
    h.signal('SIGINT', 1);
    expect(h.events).toEqual(['drain SIGTERM', 'exit SIGINT']);
  });

  it('has a window of its own when told', () => {
    const h = harness(50);
    h.signal('SIGINT', 0);
    h.signal('SIGINT', 40);
    h.signal('SIGINT', 60);
    expect(h.events).toEqual(['drain SIGINT', 'duplicate SIGINT +40', 'exit SIGINT']);
  });

  it('listens for SIGINT and SIGTERM until disposed', () => {
    const h = harness();
    expect([h.listeners('SIGINT'), h.listeners('SIGTERM'), h.listeners('SIGHUP')]).toEqual([1, 1, 0]);
    h.dispose();
    expect([h.listeners('SIGINT'), h.listeners('SIGTERM')]).toEqual([0, 0]);
    h.signal('SIGINT', 0);
    expect(h.events).toEqual([]);
  });
});
