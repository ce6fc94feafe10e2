import { parseGateRequest } from './request-parse';

const q = (s: string) => [...new URLSearchParams(s).entries()] as Array<[string, string]>;

describe('parseGateRequest', () => {
  test.each([
    ['GET', '/metadata', '', 'metadata'],
    ['GET', '/.well-known/smart-configuration', '', 'smart-configuration'],
    ['GET', '/', '_getpages=x', 'page'],
    ['GET', '', '_getpages=x', 'page'],
    ['POST', '/', '', 'batch'],
    ['GET', '/Observation', 'patient=1', 'search'],
    ['POST', '/Observation/_search', '', 'search'],
    ['POST', '/Observation', '', 'create'],
    ['GET', '/Observation/1', '', 'read'],
    ['PUT', '/Observation/1', '', 'update'],
    ['DELETE', '/Observation/1', '', 'delete'],
    ['PATCH', '/Observation/1', '', 'patch'],
    ['GET', '/Observation/1/_history', '', 'history-instance'],
    ['GET', '/Observation/1/_history/2', '', 'vread'],
    ['GET', '/Patient/1/$everything', '', 'operation'],
    ['GET', '/Patient/$everything', '', 'operation'],
    ['POST', '/Observation/$validate', '', 'operation'],
  ])('%s %s?%s → %s', (m, path, query, kind) => {
    expect(parseGateRequest(m, path, q(query)).kind).toBe(kind);
  });

  test.each([
    '/Observation/%2e%2e',
    '/Observation/%2E',
    '/Patient/a/_history/%2e%2e',
    '/Observation/a%2fb',
    '/%2e%2e/Patient/b',
  ])('encoded dot segments and slashes: %s', (path) => {
    expect(parseGateRequest('GET', path, []).kind).toBe('unsupported');
  });

  test.each([
    ['GET', '/', '', /system-level search/],
    ['GET', '/', '_type=Observation', /system-level search/],
    ['GET', '/_history', '', /system-level _history/],
    ['POST', '/_search', '', /system-level _search/],
    ['GET', '/$graphql', '', /\$graphql/],
    ['POST', '/$graphql', '', /\$graphql/],
    ['GET', '/observation', '', /not a resource type/],
    ['GET', '/Observation/_history', '', /type-level history/],
    ['PUT', '/Observation', 'identifier=1', /conditional update/],
    ['PATCH', '/Observation', 'identifier=1', /conditional update/],
    ['DELETE', '/Observation', 'patient=1', /conditional delete/],
    ['GET', '/Patient/1/Observation', '', /compartment search/],
    ['GET', '/Observation/a b', '', /not a resource id/],
    ['GET', '/Observation/..%2F..%2Fadmin', '', /not understood/],
    ['GET', '/Observation/1/_history/2/x', '', /not understood/],
    ['GET', '/Observation/1/$everything/x', '', /not understood/],
    ['GET', '/Observation/%E0%A4%A', '', /not understood/],
    ['GET', '/metadata', '', undefined],
    ['POST', '/metadata', '', /read-only/],
    ['GET', '/Observation/_search', '', /use GET/],
    ['HEAD', '/Observation/1', '', /not supported/],
  ])('%s %s?%s is refused', (m, path, query, why) => {
    const r = parseGateRequest(m, path, q(query));
    if (!why) return expect(r.kind).toBe('metadata');
    expect(r.kind).toBe('unsupported');
    if (r.kind === 'unsupported') expect(r.reason).toMatch(why);
  });

  test('keeps the ids and the parameters', () => {
    expect(parseGateRequest('GET', '/Observation/1/_history/2', q('_format=json'))).toEqual({
      kind: 'vread',
      type: 'Observation',
      id: '1',
      vid: '2',
      params: [['_format', 'json']],
    });
    expect(parseGateRequest('GET', '/Patient/p1/$everything', q('_count=5'))).toEqual({
      kind: 'operation',
      type: 'Patient',
      id: 'p1',
      op: '$everything',
      method: 'GET',
      params: [['_count', '5']],
    });
  });
});
