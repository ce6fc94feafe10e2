import request from 'supertest';
import { buildTestApp } from './test-support/app-harness';

describe('HTTP edge behaviour', () => {
  let harness: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    harness = await buildTestApp();
  });
  afterAll(() => harness.close());

  it('answers unknown routes with 404 in the error shape and a request id', async () => {
    const res = await request(harness.app).get('/api/nope?name=Secret').expect(404);
    expect(res.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(res.body.error.path).toBe('/api/nope');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('rejects malformed JSON with 400, and oversized bodies with 413, never 500', async () => {
    const bad = await request(harness.app)
      .post('/api/nope')
      .set('content-type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    const big = await request(harness.app)
      .post('/api/nope')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(2_000_000) }))
      .expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers and refuses unlisted CORS origins', async () => {
    const res = await request(harness.app).get('/health/live').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await request(harness.app).get('/health/live').set('Origin', 'http://localhost:5173').expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('ignores malformed incoming request ids', async () => {
    const res = await request(harness.app).get('/health/live').set('X-Request-ID', 'bad id with spaces').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^req-/);
  });
});
