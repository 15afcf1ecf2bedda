/**
 * Trusted documents through the real stack in production mode: gateways over the stack's
 * subgraphs with TRUSTED_DOCUMENTS=enforce and =log, a production token issuer of the test's own.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AuthConfig } from '../../gateway/auth/authConfig';
import { CASE_HEADER } from '../../gateway/caseBinding/caseHeader';
import type { RunningGateway } from '../../gateway/createGateway';
import { operationHash } from '../../lib/audit/auditRecord';
import { caseVariables, DOSSIER } from '../../schemas/courtOperations';
import { documentHash } from '../../schemas/trustedDocumentManifest';
import { startExtraGateway } from '../support/extraGateway';
import { sampleSum, scrapeMetrics } from '../support/metricsScrape';
import { type GraphQLAnswer } from '../support/postGraphQL';
import { useStack } from '../support/stack';

const ISSUER = 'https://issuer.court.test';
const AUDIENCE = 'court-asset-graph';
const METRICS_TOKEN = 'an-operator-metrics-token-of-32-characters-or-more';
const keys = generateKeyPair('ES256', { extractable: true });
const jwksPath = join(mkdtempSync(join(tmpdir(), 'cag-jwks-')), 'jwks.json');
const auth: AuthConfig = { jwks: { kind: 'file', path: jwksPath }, issuer: ISSUER, audience: AUDIENCE, production: true, clockToleranceSeconds: 30 };
// Before the stack's own beforeAll, which reads the key set.
beforeAll(async () => {
  const { publicKey } = await keys;
  writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'prod-1', alg: 'ES256', use: 'sig' }] }));
});
const stack = useStack({ persons: 50, production: true, auth });
const UNKNOWN = 'query Courts { courts { code } }';

// Inside a describe: its afterAll stops the extra gateways before the stack's (top level, declared first) closes the database they drop their tables in.
describe('trusted documents', () => {
  let enforcing: RunningGateway;
  let logging: RunningGateway;
  beforeAll(async () => {
    const production = { production: true, auth, metricsToken: METRICS_TOKEN };
    enforcing = await startExtraGateway(stack(), { ...production, trustedDocuments: { mode: 'enforce' } });
    logging = await startExtraGateway(stack(), { ...production, trustedDocuments: { mode: 'log' } });
  });
  afterAll(async () => {
    await enforcing?.stop();
    await logging?.stop();
  });

  function richCase() {
    const caseNumber = stack().population.scenarios.richDebtor.caseNumber;
    return stack().population.cases.find((c) => c.caseNumber === caseNumber)!;
  }

  async function officerHeaders(): Promise<Record<string, string>> {
    const kase = richCase();
    const token = await new SignJWT({ court: kase.courtCode, roles: ['query'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'prod-1' })
      .setSubject(kase.officer)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign((await keys).privateKey);
    return { authorization: `Bearer ${token}`, [CASE_HEADER]: encodeURIComponent(kase.caseNumber) };
  }

  async function post(gateway: RunningGateway, body: Record<string, unknown>): Promise<GraphQLAnswer & { status: number }> {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await officerHeaders()) }, body: JSON.stringify(body) });
    return { status: response.status, ...((await response.json()) as GraphQLAnswer) };
  }

  const byHash = (text: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(text) } } });
  const untrusted = async (gateway: RunningGateway, mode: string) =>
    sampleSum(await scrapeMetrics(gateway.url, { authorization: `Bearer ${METRICS_TOKEN}` }), 'cag_gateway_documents_total', { mode, document: 'untrusted' });

  describe('trusted documents, enforced (production)', () => {
    it('runs a documented operation sent as its text, and as its hash only', async () => {
      const variables = caseVariables(richCase().caseNumber);
      const asText = await post(enforcing, { query: DOSSIER, variables });
      const asHash = await post(enforcing, { ...byHash(DOSSIER), variables });
      expect(asText.errors).toBeUndefined();
      expect(asHash).toEqual(asText);
      expect((asText.data as { case: { caseNumber: string } }).case.caseNumber).toBe(richCase().caseNumber);
    });

    it('refuses an unknown document with UNTRUSTED_DOCUMENT (400), audited as a refusal under its hash', async () => {
      // Never parsed, the document names no operation to the audit: the request's operationName does.
      const answer = await post(enforcing, { query: UNKNOWN, operationName: 'Courts' });
      expect(answer).toEqual({ status: 400, errors: [{ message: expect.stringMatching(/not one this gateway trusts/), extensions: { code: 'UNTRUSTED_DOCUMENT', documentHash: documentHash(UNKNOWN) } }] });
      const records = await enforcing.audit.reviewOf(richCase().courtCode);
      expect(records.filter((r) => r.operationHash === operationHash(UNKNOWN))).toEqual([
        expect.objectContaining({ operationName: 'Courts', outcome: 'REFUSED', errorCodes: ['UNTRUSTED_DOCUMENT'], agencies: [] }),
      ]);
    });

    it('refuses a hash that is not in the manifest with the same code', async () => {
      const answer = await post(enforcing, byHash(UNKNOWN));
      expect(answer).toEqual({ status: 400, errors: [{ message: expect.any(String), extensions: { code: 'UNTRUSTED_DOCUMENT', documentHash: documentHash(UNKNOWN) } }] });
      expect(await untrusted(enforcing, 'enforce')).toBe(2);
    });
  });

  describe('trusted documents, logged (the roll-out)', () => {
    it('runs an unknown document and counts it', async () => {
      const before = await untrusted(logging, 'log');
      const answer = await post(logging, { query: UNKNOWN });
      expect(answer.errors).toBeUndefined();
      expect((answer.data as { courts: unknown[] }).courts).toHaveLength(stack().population.courts.length);
      expect(await untrusted(logging, 'log')).toBe(before + 1);
    });
  });
});
