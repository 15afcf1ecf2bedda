import {
  type AuditRecordInput,
  canonicalAuditRecord,
  chainHash,
  GENESIS_HASH,
  normaliseAuditRecord,
  operationHash,
} from '../../../../lib/audit/auditRecord';
import { auditInput, CASE, COMPANY, DEBTOR, OTHER_PERSON } from '../../../support/auditHarness';

describe('normaliseAuditRecord', () => {
  it('stores time in UTC to the millisecond, whole milliseconds, and sets sorted without duplicates', () => {
    const record = normaliseAuditRecord(
      auditInput({
        at: '2024-05-06T15:08:09.1234+08:00',
        subjects: [OTHER_PERSON, DEBTOR, COMPANY, DEBTOR],
        fields: ['Person.vehicles', 'Person.bankAccounts', 'Person.vehicles'],
        agencies: ['vehicle', 'bank'],
        errorCodes: ['FORBIDDEN', 'AGENCY_TIMEOUT'],
        latencyMs: 41.6,
      }),
    );
    expect(record).toEqual({
      at: '2024-05-06T07:08:09.123Z',
      requestId: 'req-1',
      caller: { kind: 'court', court: '0106', officer: 'officer-7', idNumber: null },
      caseNumber: CASE,
      subjects: [OTHER_PERSON, DEBTOR, COMPANY],
      operationName: 'Dossier',
      operationHash: auditInput().operationHash,
      fields: ['Person.bankAccounts', 'Person.vehicles'],
      agencies: ['bank', 'vehicle'],
      outcome: 'ANSWERED',
      errorCodes: ['AGENCY_TIMEOUT', 'FORBIDDEN'],
      latencyMs: 42,
      purpose: null,
    });
  });

  it("keeps a court's search purpose, an officer's or a supervisor's, and reads none as null", () => {
    expect(normaliseAuditRecord(auditInput({ purpose: 'SWEEP' })).purpose).toBe('SWEEP');
    expect(normaliseAuditRecord(auditInput({ caller: { kind: 'supervisor-as-court', court: '0106', officer: 's-1' }, purpose: 'FOLLOW_UP' })).purpose).toBe('FOLLOW_UP');
    expect(normaliseAuditRecord(auditInput({ purpose: null })).purpose).toBeNull();
    expect(normaliseAuditRecord(auditInput()).purpose).toBeNull();
  });

  it('gives every caller kind the same four stored fields', () => {
    expect(normaliseAuditRecord(auditInput({ caller: { kind: 'citizen', idNumber: DEBTOR } })).caller).toEqual({
      kind: 'citizen',
      court: null,
      officer: null,
      idNumber: DEBTOR,
    });
    expect(normaliseAuditRecord(auditInput({ caller: { kind: 'anonymous' } })).caller).toEqual({
      kind: 'anonymous',
      court: null,
      officer: null,
      idNumber: null,
    });
    expect(normaliseAuditRecord(auditInput({ caller: { kind: 'supervisor-as-court', court: '0106', officer: 's-1' } })).caller).toEqual({
      kind: 'supervisor-as-court',
      court: '0106',
      officer: 's-1',
      idNumber: null,
    });
  });

  it('cuts a client-chosen operation name to 256 characters and replaces what PostgreSQL cannot store', () => {
    const long = normaliseAuditRecord(auditInput({ operationName: 'Q'.repeat(300) }));
    expect(long.operationName).toBe('Q'.repeat(256));
    expect(normaliseAuditRecord(auditInput({ operationName: 'A\u0000B\uD800' })).operationName).toBe('A\uFFFDB\uFFFD');
  });

  it('is idempotent', () => {
    const once = normaliseAuditRecord(auditInput({ subjects: [OTHER_PERSON, DEBTOR], latencyMs: 3.4 }));
    expect(normaliseAuditRecord({ ...once, caller: { kind: 'court', court: '0106', officer: 'officer-7' } })).toEqual(once);
  });

  it.each([
    [{ at: '2024-05-06T07:08:09' }, 'Invalid audit record: at: Invalid ISO datetime'],
    [{ operationHash: 'ABC' }, 'Invalid audit record: operationHash: must be a lowercase sha256 hex digest'],
    [{ subjects: ['bad\u0000id'] }, 'Invalid audit record: subjects.0: must be well-formed text without NUL'],
    [{ latencyMs: -1 }, 'Invalid audit record: latencyMs: Too small: expected number to be >=0'],
    [{ outcome: 'MAYBE' as never }, 'Invalid audit record: outcome: Invalid option: expected one of "ANSWERED"|"PARTIAL"|"REFUSED"|"FAILED"|"INTENT"'],
    [{ caller: { kind: 'court', court: '0106' } as never }, 'Invalid audit record: caller.officer: Invalid input: expected string, received undefined'],
    [{ purpose: 'NIGHTLY' as never }, 'Invalid audit record: purpose: Invalid option: expected one of "SWEEP"|"FOLLOW_UP"'],
    [{ caller: { kind: 'citizen', idNumber: DEBTOR }, purpose: 'SWEEP' } satisfies Partial<AuditRecordInput>, 'Invalid audit record: purpose: must be null unless a court asked'],
    [{ caller: { kind: 'anonymous' }, purpose: 'FOLLOW_UP' } satisfies Partial<AuditRecordInput>, 'Invalid audit record: purpose: must be null unless a court asked'],
  ])('refuses %j', (overrides, message) => {
    expect(() => normaliseAuditRecord(auditInput(overrides))).toThrow(new Error(message));
  });
});

describe('canonicalAuditRecord', () => {
  it('is JSON with a fixed key order, a format version and every stored field', () => {
    expect(canonicalAuditRecord(normaliseAuditRecord(auditInput()))).toBe(
      '{"v":1,"at":"2024-05-06T07:08:09.123Z","requestId":"req-1",' +
        '"caller":{"kind":"court","court":"0106","officer":"officer-7","idNumber":null},' +
        `"caseNumber":"${CASE}","subjects":["${DEBTOR}"],"operationName":"Dossier",` +
        `"operationHash":"${auditInput().operationHash}",` +
        '"fields":["Person.vehicles","Query.person"],"agencies":["court","vehicle"],' +
        '"outcome":"ANSWERED","errorCodes":[],"latencyMs":42}',
    );
  });

  it('keeps the text and hash of a record without a purpose as they were before purposes existed', () => {
    const record = normaliseAuditRecord(auditInput());
    expect(canonicalAuditRecord(record)).not.toContain('purpose');
    // Pinned: the hash this record had before purposes existed.
    expect(chainHash(GENESIS_HASH, canonicalAuditRecord(record))).toBe('1daf7de4f479b8c7dadb17ea095fa5664899b98af72cc99840d44fe8c8d26624');
    expect(canonicalAuditRecord(normaliseAuditRecord(auditInput({ purpose: null })))).toBe(canonicalAuditRecord(record));
  });

  it('adds a purpose, when there is one, as the last key, and so changes the hash', () => {
    const plain = canonicalAuditRecord(normaliseAuditRecord(auditInput()));
    const sweep = canonicalAuditRecord(normaliseAuditRecord(auditInput({ purpose: 'SWEEP' })));
    const followUp = canonicalAuditRecord(normaliseAuditRecord(auditInput({ purpose: 'FOLLOW_UP' })));
    expect(sweep).toBe(`${plain.slice(0, -1)},"purpose":"SWEEP"}`);
    expect(followUp).toBe(`${plain.slice(0, -1)},"purpose":"FOLLOW_UP"}`);
    const hashes = new Set([plain, sweep, followUp].map((text) => chainHash(GENESIS_HASH, text)));
    expect(hashes.size).toBe(3);
  });

  it('does not depend on the order the input listed its keys or set members in', () => {
    const a = auditInput({ subjects: [DEBTOR, COMPANY] });
    const reordered = Object.fromEntries(Object.entries({ ...a, subjects: [COMPANY, DEBTOR] }).reverse()) as unknown as typeof a;
    expect(canonicalAuditRecord(normaliseAuditRecord(reordered))).toBe(canonicalAuditRecord(normaliseAuditRecord(a)));
  });
});

describe('hashes', () => {
  it('operationHash is the sha256 hex of the query text', () => {
    expect(operationHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(operationHash('{ a }')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('chainHash covers the previous hash and the canonical text', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(chainHash(GENESIS_HASH, '')).toBe(operationHash(GENESIS_HASH));
    expect(chainHash(GENESIS_HASH, 'x')).not.toBe(chainHash('1'.repeat(64), 'x'));
  });
});
