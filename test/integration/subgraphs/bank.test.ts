import { startBankEmulators } from '../../../mocks/bank';
import { type BankAccountRecord, createPopulation, type PartyRef, type Population, type WealthHoldingRecord } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { creditCodeCheckChar, formatFen, idNumberCheckChar } from '../../../schemas/identifiers';
import { startBankSubgraph } from '../../../subgraphs/bank';
import { BANK_CONFIGS } from '../../../subgraphs/bank/banks';
import { signedForDebtorsIn, signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

const generated = createPopulation({ persons: 300 });
const { richDebtor } = generated.scenarios;
const UNKNOWN_PERSON = '11010119900101123' + idNumberCheckChar('11010119900101123');
const UNKNOWN_COMPANY = '91110105MA01ABCDE' + creditCodeCheckChar('91110105MA01ABCDE');

/** A generated person given 23 more accounts at RCC, so RCC's answer runs to 3 pages of 10. */
const manyAccounts = generated.persons[250]!;
const population: Population = {
  ...generated,
  bankAccounts: [
    ...generated.bankAccounts,
    ...Array.from({ length: 23 }, (_, i): BankAccountRecord => ({
      bankCode: 'RCC',
      accountNumber: `2019999999${String(i).padStart(8, '0')}`,
      holder: { kind: 'PERSON', idNumber: manyAccounts.idNumber },
      type: i % 2 === 0 ? 'DEBIT_CARD' : 'TIME',
      currency: 'CNY',
      balanceFen: 1_000_00 * i + i,
      availableFen: 1_000_00 * i,
      status: i === 7 ? 'DORMANT' : 'NORMAL',
      branchCode: 'RCC0042',
      openedOn: `20${String(10 + i).padStart(2, '0')}-0${(i % 9) + 1}-15`,
    })),
  ],
};

const BANK_ORDER = BANK_CONFIGS.map((b) => b.code);
const keyOf = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);
const partyOf = (p: PartyRef) => (p.kind === 'PERSON' ? { __typename: 'Person', idNumber: p.idNumber } : { __typename: 'Company', creditCode: p.creditCode });

/** What the graph must show for an account record. */
function expectedAccount(a: BankAccountRecord) {
  return {
    bank: { code: a.bankCode },
    bankCode: a.bankCode,
    accountNumber: a.accountNumber,
    holder: partyOf(a.holder),
    type: a.type,
    currency: a.currency,
    balance: formatFen(a.balanceFen),
    availableBalance: formatFen(a.availableFen),
    status: a.status,
    branchCode: a.branchCode,
    openedOn: a.openedOn,
  };
}

function expectedHolding(w: WealthHoldingRecord) {
  return {
    bank: { code: w.bankCode },
    productCode: w.productCode,
    productName: w.productName,
    units: `${Math.floor(w.unitsMilli / 1000)}.${String(w.unitsMilli % 1000).padStart(3, '0')}`,
    marketValue: formatFen(w.marketValueFen),
    valuedOn: w.valuedOn,
  };
}

/** A holder's accounts in the graph's order: banks in network order, each bank's in its own order. */
const accountRecordsOf = (key: string) =>
  BANK_ORDER.flatMap((bank) => population.bankAccounts.filter((a) => a.bankCode === bank && keyOf(a.holder) === key));
const accountsOf = (key: string) => accountRecordsOf(key).map(expectedAccount);
const wealthOf = (key: string) =>
  ['NCB', 'WEB'].flatMap((bank) => population.wealthHoldings.filter((w) => w.bankCode === bank && keyOf(w.holder) === key)).map(expectedHolding);
const inquiryOf = (key: string) =>
  BANK_ORDER.map((bank) => ({ bank: { code: bank }, status: 'ANSWERED', accountCount: accountRecordsOf(key).filter((a) => a.bankCode === bank).length, message: null }));

const ACCOUNT_FIELDS = 'bank { code } bankCode accountNumber holder { __typename ... on Person { idNumber } ... on Company { creditCode } } type currency balance availableBalance status branchCode openedOn';
const HOLDER_FIELDS = `bankAccounts { ${ACCOUNT_FIELDS} } bankInquiry { bank { code } status accountCount message } wealthManagement { bank { code } productCode productName units marketValue valuedOn }`;
const ENTITIES = `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Person { idNumber ${HOLDER_FIELDS} }
      ... on Company { creditCode ${HOLDER_FIELDS} }
      ... on BankAccount { ${ACCOUNT_FIELDS} }
    }
  }
`;
const personRep = (idNumber: string) => ({ __typename: 'Person', idNumber });
const companyRep = (creditCode: string) => ({ __typename: 'Company', creditCode });
const expectedPerson = (idNumber: string) => ({ idNumber, bankAccounts: accountsOf(idNumber), bankInquiry: inquiryOf(idNumber), wealthManagement: wealthOf(idNumber) });

let banks: Record<string, Emulator>;
let subgraph: ServedGraphQL;
/** The same subgraph with a short per-call limit towards RCC only, for a bank that never answers. */
let impatient: ServedGraphQL;

beforeAll(async () => {
  banks = await startBankEmulators(population);
  const bankUrls = Object.fromEntries(Object.entries(banks).map(([code, e]) => [code, e.url]));
  subgraph = await startBankSubgraph({ bankUrls, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  impatient = await startBankSubgraph({ bankUrls, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS, bankTimeoutsMs: { RCC: 150 } });
});
afterEach(() => {
  for (const bank of Object.values(banks)) {
    bank.setFaults({ mode: 'none' });
    bank.resetCalls();
  }
});
afterAll(async () => {
  await Promise.all([subgraph.stop(), impatient.stop()]);
  await Promise.all(Object.values(banks).map((b) => b.close()));
});

interface GraphQLAnswer {
  data?: { _entities?: unknown[]; banks?: unknown };
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

async function query(reps: unknown[], at = subgraph): Promise<GraphQLAnswer> {
  const response = await fetch(at.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await signedForDebtorsIn(reps)) }, body: JSON.stringify({ query: ENTITIES, variables: { reps } }) });
  return (await response.json()) as GraphQLAnswer;
}

/** The error of a failed bank without its source location: the test asserts everything else. */
const bankError = (path: (string | number)[], code: string, provider: string, message: string, more: Record<string, unknown> = {}) => ({
  message,
  locations: [expect.anything()],
  path,
  extensions: { code, agency: 'bank', provider, ...more },
});

/** Errors in path order: fields of one object may fail in either order. */
function byPath(answer: GraphQLAnswer): GraphQLAnswer {
  const errors = answer.errors && [...answer.errors].sort((a, b) => String(a.path).localeCompare(String(b.path)));
  return errors ? { ...answer, errors } : answer;
}

const callsTo = (bank: string, path?: string) => banks[bank]!.calls.filter((c) => path === undefined || c.path === path);

describe('bank subgraph over the four bank emulators', () => {
  it('lists the population banks with their capability matrix', async () => {
    const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await signedHeaders()) }, body: JSON.stringify({ query: '{ banks { code name capabilities } }' }) });
    expect(await response.json()).toEqual({
      data: {
        banks: population.banks.map((b) => ({ code: b.code, name: b.name, capabilities: b.code === 'RCC' ? ['QUERY'] : ['QUERY', 'FREEZE', 'DEDUCT'] })),
      },
    });
  });

  it('gives the rich debtor accounts from all four banks with exact balances, and the wealth holdings', async () => {
    const answer = await query([personRep(richDebtor.idNumber)]);
    expect(answer).toEqual({ data: { _entities: [expectedPerson(richDebtor.idNumber)] } });
    const accounts = (answer.data!._entities![0] as { bankAccounts: { bankCode: string; balance: string }[] }).bankAccounts;
    expect(accounts.map((a) => [a.bankCode, a.balance])).toEqual([
      ['NCB', '182345.67'],
      ['NCB', '5000.00'],
      ['HZCB', '76543.21'],
      ['RCC', '12000.00'],
      ['WEB', '3456.78'],
    ]);
  });

  it('gives companies their accounts and an unknown person or company empty lists, every bank answering', async () => {
    const answer = await query([companyRep(richDebtor.companyCreditCode), companyRep(generated.scenarios.subsidiary.creditCode), personRep(UNKNOWN_PERSON), companyRep(UNKNOWN_COMPANY)]);
    const company = (creditCode: string) => ({ creditCode, bankAccounts: accountsOf(creditCode), bankInquiry: inquiryOf(creditCode), wealthManagement: wealthOf(creditCode) });
    expect(answer).toEqual({
      data: {
        _entities: [
          company(richDebtor.companyCreditCode),
          company(generated.scenarios.subsidiary.creditCode),
          { idNumber: UNKNOWN_PERSON, bankAccounts: [], bankInquiry: inquiryOf(UNKNOWN_PERSON), wealthManagement: [] },
          { creditCode: UNKNOWN_COMPANY, bankAccounts: [], bankInquiry: inquiryOf(UNKNOWN_COMPANY), wealthManagement: [] },
        ],
      },
    });
    expect(inquiryOf(UNKNOWN_PERSON).map((i) => i.accountCount)).toEqual([0, 0, 0, 0]);
  });

  it("resolves a debtor's BankAccount entities from the debtor's own accounts; a stranger's, an unknown one and one at no bank answer NOT_A_DEBTOR alike, and no bank hears of them", async () => {
    const sample = BANK_ORDER.map((bank) => population.bankAccounts.find((a) => a.bankCode === bank && a.holder.kind === 'COMPANY')!);
    const debtors = [...new Set(sample.map((a) => keyOf(a.holder)))];
    const stranger = population.bankAccounts.find((a) => a.bankCode === 'HZCB' && !debtors.includes(keyOf(a.holder)))!;
    const refused = [
      { __typename: 'BankAccount', bankCode: stranger.bankCode, accountNumber: stranger.accountNumber },
      { __typename: 'BankAccount', bankCode: 'HZCB', accountNumber: '3301000000000000' },
      { __typename: 'BankAccount', bankCode: 'XYZ', accountNumber: sample[0]!.accountNumber },
    ];
    const reps = [...sample.map((a) => ({ __typename: 'BankAccount', bankCode: a.bankCode, accountNumber: a.accountNumber })), ...refused];
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: TEST_CASE_NUMBER, debtors })) },
      body: JSON.stringify({ query: ENTITIES, variables: { reps } }),
    });
    const answer = (await response.json()) as GraphQLAnswer;
    expect(answer.data).toEqual({ _entities: [...sample.map(expectedAccount), null, null, null] });
    const byPosition = [...(answer.errors ?? [])].sort((x, y) => Number(x.path![1]) - Number(y.path![1]));
    expect(byPosition).toEqual(
      refused.map((_, i) => ({
        message: `BankAccount is answered only for debtors of the case the request states (${TEST_CASE_NUMBER}).`,
        locations: [expect.anything()],
        path: ['_entities', sample.length + i],
        extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', field: 'BankAccount' },
      })),
    );
    // The banks were asked about the debtors' holdings, never about the refused accounts.
    const bodies = Object.values(banks).flatMap((b) => b.calls.map((c) => JSON.stringify(c.body ?? '') + c.path));
    expect(bodies.length).toBeGreaterThan(0);
    for (const number of [stranger.accountNumber, '3301000000000000']) expect(bodies.filter((b) => b.includes(number))).toEqual([]);
  });

  it('follows every RCC page: 23 accounts at RCC come back whole, in 3 calls', async () => {
    const answer = await query([personRep(manyAccounts.idNumber)]);
    expect(answer).toEqual({ data: { _entities: [expectedPerson(manyAccounts.idNumber)] } });
    expect(accountsOf(manyAccounts.idNumber).filter((a) => a.bankCode === 'RCC').length).toBeGreaterThanOrEqual(23);
    expect(callsTo('RCC').map((c) => (c.body as { page: number }).page)).toEqual([1, 2, 3]);
  });

  it('costs ceil(N / max batch) calls to each bank for 120 persons: NCB 2, HZCB 6, RCC 24, WEB 3', async () => {
    const persons = population.persons.slice(0, 120).map((p) => p.idNumber);
    expect(persons).not.toContain(manyAccounts.idNumber);
    const answer = await query(persons.map(personRep));
    expect(answer).toEqual({ data: { _entities: persons.map(expectedPerson) } });

    expect(callsTo('NCB', '/ncb/v3/inquiry/accounts')).toHaveLength(2);
    expect(callsTo('NCB', '/ncb/v3/inquiry/wealth')).toHaveLength(2);
    expect(callsTo('HZCB')).toHaveLength(6);
    expect(callsTo('WEB')).toHaveLength(3); // funds come with the accounts: no call of their own
    // RCC: 24 inquiries of 5, each followed for as many pages as its rows fill.
    const firstPages = callsTo('RCC').filter((c) => (c.body as { page: number }).page === 1);
    expect(firstPages).toHaveLength(24);
    expect(firstPages.every((c) => (c.body as { zjhm: string[] }).zjhm.length <= 5)).toBe(true);
    const pagesOf = (chunk: string[]) => Math.max(1, Math.ceil(population.bankAccounts.filter((a) => a.bankCode === 'RCC' && chunk.includes(keyOf(a.holder))).length / 10));
    const chunks = firstPages.map((c) => (c.body as { zjhm: string[] }).zjhm);
    expect(callsTo('RCC')).toHaveLength(chunks.reduce((sum, chunk) => sum + pagesOf(chunk), 0));
    expect(chunks.flat().sort()).toEqual([...persons].sort());
  });

  it('shows a bank that is down as ONE null item with its error; the other banks stand and bankInquiry says which', async () => {
    banks.HZCB!.setFaults({ mode: 'down' });
    const answer = await query([personRep(richDebtor.idNumber)]);
    const expected = expectedPerson(richDebtor.idNumber);
    const hzcbAt = expected.bankAccounts.findIndex((a) => a.bankCode === 'HZCB');
    expect(answer).toEqual({
      data: {
        _entities: [
          {
            ...expected,
            bankAccounts: [...expected.bankAccounts.filter((a) => a.bankCode === 'NCB'), null, ...expected.bankAccounts.filter((a) => a.bankCode === 'RCC' || a.bankCode === 'WEB')],
            bankInquiry: expected.bankInquiry.map((i) =>
              i.bank.code === 'HZCB' ? { bank: { code: 'HZCB' }, status: 'UNAVAILABLE', accountCount: null, message: 'The bank HZCB could not be reached.' } : i,
            ),
          },
        ],
      },
      errors: [bankError(['_entities', 0, 'bankAccounts', hzcbAt], 'AGENCY_UNAVAILABLE', 'HZCB', 'The bank HZCB could not be reached.')],
    });
  });

  it('turns a bank answering HTTP 500 into a null item and AGENCY_UNAVAILABLE for accounts and wealth alike, one call per batch', async () => {
    banks.WEB!.setFaults({ mode: 'error500' });
    const answer = await query([personRep(richDebtor.idNumber)]);
    const expected = expectedPerson(richDebtor.idNumber);
    const message = 'The bank WEB failed with HTTP 500: system busy, try later';
    const http500 = { agencyCode: 'SYSTEM_BUSY', httpStatus: 500 };
    expect(byPath(answer)).toEqual({
      data: {
        _entities: [
          {
            ...expected,
            bankAccounts: [...expected.bankAccounts.filter((a) => a.bankCode !== 'WEB'), null],
            bankInquiry: expected.bankInquiry.map((i) => (i.bank.code === 'WEB' ? { bank: { code: 'WEB' }, status: 'UNAVAILABLE', accountCount: null, message } : i)),
            wealthManagement: [...expected.wealthManagement.filter((w) => w.bank.code !== 'WEB'), null],
          },
        ],
      },
      errors: [
        bankError(['_entities', 0, 'bankAccounts', expected.bankAccounts.length - 1], 'AGENCY_UNAVAILABLE', 'WEB', message, http500),
        bankError(['_entities', 0, 'wealthManagement', expected.wealthManagement.length - 1], 'AGENCY_UNAVAILABLE', 'WEB', message, http500),
      ],
    });
    expect(callsTo('WEB')).toHaveLength(1);
  });

  it.each([
    ['TIMEOUT', 'never answers', 'hang', 'AGENCY_TIMEOUT', 'The bank RCC did not answer within 150 ms.', {}],
    ['BAD_RESPONSE', 'answers an HTML page', 'garbage', 'AGENCY_BAD_RESPONSE', 'The bank RCC answered something that is not JSON.', { httpStatus: 200 }],
    ['BAD_RESPONSE', 'answers the wrong shape', 'wrongShape', 'AGENCY_BAD_RESPONSE', 'The bank RCC answered in an unexpected shape at qqdh.', {}],
  ] as const)('reports RCC as %s when it %s', async (status, _what, mode, code, message, more) => {
    banks.RCC!.setFaults({ mode });
    const answer = await query([personRep(richDebtor.idNumber)], impatient);
    const expected = expectedPerson(richDebtor.idNumber);
    const rccAt = expected.bankAccounts.findIndex((a) => a.bankCode === 'RCC');
    expect(answer).toEqual({
      data: {
        _entities: [
          {
            ...expected,
            bankAccounts: [...expected.bankAccounts.slice(0, rccAt), null, ...expected.bankAccounts.filter((a) => a.bankCode === 'WEB')],
            bankInquiry: expected.bankInquiry.map((i) => (i.bank.code === 'RCC' ? { bank: { code: 'RCC' }, status, accountCount: null, message } : i)),
          },
        ],
      },
      errors: [bankError(['_entities', 0, 'bankAccounts', rccAt], code, 'RCC', message, more)],
    });
  });
});
