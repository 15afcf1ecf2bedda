import { createLogger, type Logger } from '../../../../lib/log/logger';

// Real formats, with real check characters.
const ID = '330106199001019354';
const CREDIT = '91330106MA2B3C4D5D';
const VIN = 'LSVAU218XN2183294';
const ACCOUNT = '201' + '2345678' + '00000044'; // 18 digits (RCC)

/** A logger writing into an array of parsed lines. */
function capture(level: 'info' | 'silent' = 'info'): { logger: Logger; raw: string[] } {
  const raw: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void raw.push(s) } });
  return { logger, raw };
}

describe('createLogger', () => {
  it('masks every line it writes: messages, objects, child bindings and errors', () => {
    const { logger, raw } = capture();
    logger.child({ subject: ID }).error({ err: new Error(`no account ${ACCOUNT} for ${CREDIT}`), vin: VIN }, `lookup of ${ID} failed`);
    expect(raw).toHaveLength(1);
    for (const value of [ID, CREDIT, VIN, ACCOUNT]) expect(raw[0]).not.toContain(value);
    expect(JSON.parse(raw[0]!)).toMatchObject({ level: 50, subject: '330106********9354', msg: 'lookup of 330106********9354 failed', err: { message: expect.stringContaining('201234********0044') } });
  });

  it('writes nothing when silent', () => {
    const { logger, raw } = capture('silent');
    logger.error('anything');
    expect(raw).toEqual([]);
  });

  it('never throws when its destination does', () => {
    const logger = createLogger({ level: 'info', destination: { write: () => { throw new Error('disk full'); } } });
    expect(() => logger.info('hello')).not.toThrow();
  });
});
