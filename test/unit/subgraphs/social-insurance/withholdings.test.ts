import { graphql } from 'graphql';
import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { HousingFundClient, SOCIAL_INSURANCE_AGENCY, SOCIAL_INSURANCE_CONTROL_PREFIX, SocialInsuranceClient } from '../../../../subgraphs/social-insurance/client';
import { createSocialInsuranceLoaders, createWithholdingLoaders } from '../../../../subgraphs/social-insurance/loaders';
import { resolvers } from '../../../../subgraphs/social-insurance/resolvers';
import { withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://social-insurance.test';
const PERSON = '33010619750418001X';
const CASE = '(2025)浙0106执1001号';
const schema = buildSchemaFor('social-insurance', resolvers);

/** A withholding as the bureau's control interface reports it. */
function measure(overrides: Record<string, unknown> = {}) {
  return {
    id: '3', requestId: '浙0106/wh-1', assetKind: 'INCOME', assetKey: PERSON, caseNumber: CASE, courtCode: '浙0106',
    documentNumber: `${CASE}之二`, kind: 'WITHHOLD', amountFen: 150_050, status: 'ACTIVE', queuePosition: null,
    servedAt: '2026-03-02T00:00:00.000Z', dueAt: null, termDays: 365, termStart: '2026-03-02T00:00:00.000Z',
    termEnd: '2027-03-01T00:00:00.000Z', endedAt: null, renewals: 0, returnReason: null, amountControlledFen: null,
    amountDeductedFen: 0, prior: [], history: [], deductions: [],
    ...overrides,
  };
}

/** Runs an operation through the real schema, loaders and clients, as the gateway signed it for CASE. */
async function run(source: string) {
  const clients = {
    socialInsurance: new SocialInsuranceClient({ baseUrl, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS }),
    housingFund: new HousingFundClient({ baseUrl, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS }),
  };
  const control = new ControlClient({ agency: SOCIAL_INSURANCE_AGENCY, baseUrl, prefix: SOCIAL_INSURANCE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  const loaders = { ...createSocialInsuranceLoaders(clients), ...createWithholdingLoaders(control) };
  const signed = { requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, debtors: [PERSON] };
  const result = await withAgencyHeaders(signed, () => graphql({ schema, source, contextValue: { loaders, control, signed } }));
  return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: any[] };
}

const CASE_WITHHOLDINGS = `{ _entities(representations: [{ __typename: "EnforcementCase", caseNumber: "${CASE}" }]) {
  ... on EnforcementCase { incomeWithholdings { id monthlyAmount person { idNumber } } } } }`;

useNockAtAgencyEdge();

describe('income withholdings in the subgraph', () => {
  it('show each withholding’s monthly amount exact to the fen, on the person withheld from', async () => {
    nock(baseUrl).post(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/cases`, { caseNumbers: [CASE] }).reply(200, { measures: [measure()] });
    expect(await run(CASE_WITHHOLDINGS)).toEqual({
      data: { _entities: [{ incomeWithholdings: [{ id: 'social-insurance:3', monthlyAmount: '1500.50', person: { idNumber: PERSON } }] }] },
    });
  });

  it('say which withholding the bureau records without a monthly amount, rather than a bare null violation', async () => {
    nock(baseUrl).post(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/cases`, { caseNumbers: [CASE] }).reply(200, { measures: [measure({ amountFen: null })] });
    expect(await run(CASE_WITHHOLDINGS)).toEqual({
      data: { _entities: [{ incomeWithholdings: null }] },
      errors: [
        {
          message: `The ${SOCIAL_INSURANCE_AGENCY} records no monthly amount for its withholding social-insurance:3.`,
          locations: expect.any(Array),
          path: ['_entities', 0, 'incomeWithholdings', 0, 'monthlyAmount'],
          extensions: { code: 'AGENCY_BAD_RESPONSE', agency: SOCIAL_INSURANCE_AGENCY },
        },
      ],
    });
  });
});
