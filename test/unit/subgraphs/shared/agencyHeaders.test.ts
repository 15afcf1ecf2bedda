import nock from 'nock';
import { z } from 'zod';
import { AgencyHttp } from '../../../../subgraphs/shared/agencyHttp';
import { agencyHeaders, currentAgencyHeaders, withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';

const BASE = 'http://registry.agency.test';
const CONTEXT = { requestId: 'req-42', court: '浙0106', officer: '浙0106-007', caseNumber: '(2024)浙0106执1234号' };
const HEADERS = {
  'x-request-id': 'req-42',
  'x-court': '%E6%B5%990106',
  'x-officer': '%E6%B5%990106-007',
  'x-case-number': '(2024)%E6%B5%990106%E6%89%A71234%E5%8F%B7',
};
const ok = z.object({ ok: z.boolean() });

useNockAtAgencyEdge();

describe('agency headers', () => {
  it('percent-encodes the facts as agency headers, leaving out the absent ones', () => {
    expect(agencyHeaders(CONTEXT)).toEqual(HEADERS);
    expect(agencyHeaders({ requestId: 'r', service: 'court-asset-graph-gateway' })).toEqual({ 'x-request-id': 'r' });
    expect(agencyHeaders(undefined)).toEqual({});
    expect(decodeURIComponent(HEADERS['x-case-number'])).toBe(CONTEXT.caseNumber);
  });

  it('are the current headers within a run, through awaits and timers, and none outside', async () => {
    expect(currentAgencyHeaders()).toEqual({});
    await withAgencyHeaders(CONTEXT, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentAgencyHeaders()).toEqual(HEADERS);
    });
    expect(currentAgencyHeaders()).toEqual({});
  });

  it('goes with every agency call made within it', async () => {
    const http = new AgencyHttp({ agency: 'test registry', baseUrl: BASE });
    nock(BASE, { reqheaders: HEADERS }).get('/units').reply(200, { ok: true });
    nock(BASE, { reqheaders: { ...HEADERS, 'content-type': 'application/json' } }).post('/units/batch', { ids: ['a'] }).reply(200, { ok: true });
    await withAgencyHeaders(CONTEXT, async () => {
      expect(await http.get('/units', ok)).toEqual({ ok: true });
      expect(await http.post('/units/batch', { ids: ['a'] }, ok)).toEqual({ ok: true });
    });
  });

  it('adds no case headers to a call outside any request', async () => {
    const http = new AgencyHttp({ agency: 'test registry', baseUrl: BASE });
    nock(BASE, { badheaders: Object.keys(HEADERS) }).get('/units').reply(200, { ok: true });
    expect(await http.get('/units', ok)).toEqual({ ok: true });
  });
});
