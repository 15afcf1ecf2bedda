import { urlTemplate } from '../../../../lib/tracing/urlTemplate';

describe('urlTemplate', () => {
  it.each([
    ['/api/query', '/api/query'],
    ['/openapi/v1/holdings:batchQuery', '/openapi/v1/holdings:batchQuery'],
    ['/zxaj/v1/courts/%E6%B5%990106/cases?page=2&size=50', '/zxaj/v1/courts/{}/cases'],
    ['/bdc/api/bdcdy/330106001001GB00001F00010001', '/bdc/api/bdcdy/{}'],
    ['/persons/330106197504189356/accounts#top', '/persons/{}/accounts'],
  ])('%s -> %s', (path, template) => {
    expect(urlTemplate(path)).toBe(template);
  });
});
