import { graphql } from 'graphql';
import type { ConnectedBank } from '../../../../subgraphs/bank/client';
import { BANK_CONFIGS } from '../../../../subgraphs/bank/banks';
import { createBankLoaders } from '../../../../subgraphs/bank/loaders';
import { resolvers } from '../../../../subgraphs/bank/resolvers';
import type { BankAccount, BankClient, HolderHoldings, WealthHolding } from '../../../../subgraphs/bank/types';
import { AgencyError, type AgencyErrorCode } from '../../../../subgraphs/shared/agencyError';
import { withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';
import { COMPANY_ID, PERSON_ID } from '../../../support/bankHarness';

const schema = buildSchemaFor('bank', resolvers);

const account = (bankCode: string, accountNumber: string, balanceFen: number): BankAccount => ({
  bankCode,
  accountNumber,
  holder: { kind: 'PERSON', idNumber: PERSON_ID },
  type: 'DEMAND',
  currency: 'CNY',
  balanceFen,
  availableFen: balanceFen,
  status: 'NORMAL',
  branchCode: `${bankCode}0001`,
  openedOn: '2020-01-02',
});

const holding = (bankCode: string): WealthHolding => ({
  bankCode,
  productCode: `${bankCode}-P`,
  productName: '理财',
  unitsMilli: 1_000_005,
  marketValueFen: 123_456,
  valuedOn: '2026-10-01',
});

/** A bank that answers from memory, or fails every call with the given code. */
function fakeBank(code: string, failWith?: AgencyErrorCode): ConnectedBank {
  const config = BANK_CONFIGS.find((b) => b.code === code)!;
  const accounts = [account(code, `${code}-1`, 100), account(code, `${code}-2`, 250)];
  const fail = () => new AgencyError(failWith!, `The bank ${code} failed on purpose.`, { agency: 'bank', provider: code });
  const answer = async <T>(value: T) => {
    if (failWith) throw fail();
    return value;
  };
  const client: BankClient = {
    bankCode: code,
    holdings: (keys) => answer(new Map<string, HolderHoldings>(keys.filter((k) => k === PERSON_ID).map((k) => [k, { accounts, wealth: code === 'WEB' ? [holding(code)] : [] }]))),
    accountsByNumber: (numbers) => answer(new Map(accounts.filter((a) => numbers.includes(a.accountNumber)).map((a) => [a.accountNumber, a]))),
    wealth:
      code === 'NCB'
        ? { from: 'OWN_ENDPOINT', lookup: (keys) => answer(new Map(keys.filter((k) => k === PERSON_ID).map((k) => [k, [holding(code)]]))) }
        : code === 'WEB'
          ? { from: 'HOLDINGS' }
          : { from: 'NONE' },
  };
  return { config, client };
}

async function run(source: string, failing: Partial<Record<string, AgencyErrorCode>> = {}) {
  const banks = BANK_CONFIGS.map((b) => fakeBank(b.code, failing[b.code]));
  const result = await graphql({ schema, source, contextValue: { loaders: createBankLoaders(banks) } });
  return JSON.parse(JSON.stringify(result)) as { data?: unknown; errors?: unknown[] };
}

const PERSON = `_entities(representations: [{ __typename: "Person", idNumber: "${PERSON_ID}" }])`;

describe('bank resolvers', () => {
  it('list the banks with their capabilities', async () => {
    expect(await run('{ banks { code name capabilities } }')).toEqual({
      data: {
        banks: [
          { code: 'NCB', name: '华夏国民银行', capabilities: ['QUERY', 'FREEZE', 'DEDUCT'] },
          { code: 'HZCB', name: '杭州城市商业银行', capabilities: ['QUERY', 'FREEZE', 'DEDUCT'] },
          { code: 'RCC', name: '余杭农村信用合作联社', capabilities: ['QUERY'] },
          { code: 'WEB', name: '网商互联银行', capabilities: ['QUERY', 'FREEZE', 'DEDUCT'] },
        ],
      },
    });
  });

  it('give a failed bank one null item with its error at that path, the other banks standing', async () => {
    const query = `{ ${PERSON} { ... on Person { bankAccounts { accountNumber balance } } } }`;
    const result = await run(query, { HZCB: 'AGENCY_TIMEOUT' });
    const ok = (code: string) => [
      { accountNumber: `${code}-1`, balance: '1.00' },
      { accountNumber: `${code}-2`, balance: '2.50' },
    ];
    expect(result).toEqual({
      data: { _entities: [{ bankAccounts: [...ok('NCB'), null, ...ok('RCC'), ...ok('WEB')] }] },
      errors: [
        {
          message: 'The bank HZCB failed on purpose.',
          locations: [{ line: 1, column: query.indexOf('bankAccounts') + 1 }],
          path: ['_entities', 0, 'bankAccounts', 2],
          extensions: { code: 'AGENCY_TIMEOUT', agency: 'bank', provider: 'HZCB' },
        },
      ],
    });
  });

  it.each([
    ['AGENCY_UNAVAILABLE', 'UNAVAILABLE'],
    ['AGENCY_TIMEOUT', 'TIMEOUT'],
    ['AGENCY_BAD_RESPONSE', 'BAD_RESPONSE'],
    ['AGENCY_REFUSED', 'REFUSED'],
  ] as const)('report a bank failing with %s as %s in bankInquiry', async (code, status) => {
    const result = await run(`{ ${PERSON} { ... on Person { bankInquiry { bank { code } status accountCount message } } } }`, { RCC: code });
    const answered = (bank: string) => ({ bank: { code: bank }, status: 'ANSWERED', accountCount: 2, message: null });
    expect(result).toEqual({
      data: {
        _entities: [
          {
            bankInquiry: [
              answered('NCB'),
              answered('HZCB'),
              { bank: { code: 'RCC' }, status, accountCount: null, message: 'The bank RCC failed on purpose.' },
              answered('WEB'),
            ],
          },
        ],
      },
    });
  });

  it('list wealth holdings of the banks with products, a failed one as a null item', async () => {
    const query = `{ ${PERSON} { ... on Person { wealthManagement { bank { code } productCode units marketValue valuedOn } } } }`;
    const item = (bank: string) => ({ bank: { code: bank }, productCode: `${bank}-P`, units: '1000.005', marketValue: '1234.56', valuedOn: '2026-10-01' });
    expect(await run(query)).toEqual({ data: { _entities: [{ wealthManagement: [item('NCB'), item('WEB')] }] } });
    expect(await run(query, { NCB: 'AGENCY_UNAVAILABLE' })).toEqual({
      data: { _entities: [{ wealthManagement: [null, item('WEB')] }] },
      errors: [
        {
          message: 'The bank NCB failed on purpose.',
          locations: [{ line: 1, column: query.indexOf('wealthManagement') + 1 }],
          path: ['_entities', 0, 'wealthManagement', 0],
          extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'bank', provider: 'NCB' },
        },
      ],
    });
  });

  it('give a holder no bank knows empty lists and every bank ANSWERED with 0', async () => {
    const result = await run(
      `{ _entities(representations: [{ __typename: "Company", creditCode: "${COMPANY_ID}" }]) { ... on Company { bankAccounts { accountNumber } wealthManagement { productCode } bankInquiry { status accountCount } } } }`,
    );
    expect(result).toEqual({
      data: { _entities: [{ bankAccounts: [], wealthManagement: [], bankInquiry: Array(4).fill({ status: 'ANSWERED', accountCount: 0 }) }] },
    });
  });

  it("resolve a BankAccount from its debtor's own accounts at the bank; unknown bank or number is null, a failed bank an error", async () => {
    const reps = [
      { __typename: 'BankAccount', bankCode: 'RCC', accountNumber: 'RCC-2' },
      { __typename: 'BankAccount', bankCode: 'XYZ', accountNumber: 'RCC-2' },
      { __typename: 'BankAccount', bankCode: 'NCB', accountNumber: 'NCB-9' },
      { __typename: 'BankAccount', bankCode: 'WEB', accountNumber: 'WEB-1' },
    ];
    // The account is looked for among the signed debtors' holdings (the bank is never asked by number).
    const signed = { requestId: 'r-1', caseNumber: '(2025)浙0106执1001号', debtors: [PERSON_ID] };
    const result = await withAgencyHeaders(signed, () =>
      graphql({
        schema,
        source: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on BankAccount { bankCode accountNumber balance bank { code } holder { ... on Person { idNumber } } } } }',
        variableValues: { r: reps },
        contextValue: { loaders: createBankLoaders(BANK_CONFIGS.map((b) => fakeBank(b.code, b.code === 'WEB' ? 'AGENCY_REFUSED' : undefined))), signed },
      }),
    );
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      data: {
        _entities: [{ bankCode: 'RCC', accountNumber: 'RCC-2', balance: '2.50', bank: { code: 'RCC' }, holder: { idNumber: PERSON_ID } }, null, null, null],
      },
      errors: [
        {
          message: 'The bank WEB failed on purpose.',
          locations: [{ line: 1, column: 23 }],
          path: ['_entities', 3],
          extensions: { code: 'AGENCY_REFUSED', agency: 'bank', provider: 'WEB' },
        },
      ],
    });
  });
});
