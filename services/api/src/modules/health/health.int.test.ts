import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { testEnv } from '../../test-support/test-env';

describe('health, metrics and HAPI outages', () => {
  it('reports HAPI, PostgreSQL and Redis as up when they are', async () => {
    const { app, close } = await buildTestApp();
    try {
      const res = await request(app).get('/health/ready').expect(200);
      expect(res.body.status).toBe('ready');
      for (const dep of ['hapi', 'postgres', 'redis']) expect(res.body.checks[dep].status).toBe('up');
      await request(app).get('/health/live').expect(200);
      const metrics = await request(app).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/wintehr_http_request_duration_seconds_bucket/);
      expect(metrics.text).toMatch(/wintehr_hapi_request_duration_seconds/);
    } finally {
      await close();
    }
  });

  it('turns red and answers 503 in the error shape while HAPI is gone, and recovers without a restart', async () => {
    const hapi = new URL(testEnv().hapiBaseUrl);
    const proxy = new TcpProxy(hapi.hostname, Number(hapi.port));
    const port = await proxy.start();
    const { app, close } = await buildTestApp({ hapiBaseUrl: `http://127.0.0.1:${port}${hapi.pathname}` });
    try {
      await request(app).get('/api/system/info').expect(200);

      await proxy.stop();
      const ready = await request(app).get('/health/ready').expect(503);
      expect(ready.body.checks.hapi.status).toBe('down');
      expect(ready.body.checks.postgres.status).toBe('up');
      const down = await request(app).get('/api/system/info').set('X-Request-ID', 'req-outage-test-1').expect(503);
      expect(down.body.error).toMatchObject({
        code: 'HAPI_UNAVAILABLE',
        path: '/api/system/info',
        requestId: 'req-outage-test-1',
      });
      expect(down.headers['retry-after']).toBeDefined();

      await proxy.start(port);
      await request(app).get('/health/ready').expect(200);
      const info = await request(app).get('/api/system/info').expect(200);
      expect(info.body.fhir.fhirVersion).toBe('4.0.1');
    } finally {
      await proxy.stop();
      await close();
    }
  });

  it('reports Redis down without failing the probe itself', async () => {
    const { app, close } = await buildTestApp({ redisUrl: 'redis://127.0.0.1:9' });
    try {
      const res = await request(app).get('/health/ready').expect(503);
      expect(res.body.checks.redis.status).toBe('down');
      expect(res.body.checks.hapi.status).toBe('up');
    } finally {
      await close();
    }
  });
});
