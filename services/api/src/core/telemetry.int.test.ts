import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { testEnv } from '../test-support/test-env';

/**
 * The API as it runs (main.ts in its own process: instrumentations patch modules as they load, which jest's module
 * registry would hide) with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP/HTTP receiver: one request must
 * give one trace with the HTTP server span, PostgreSQL, Redis and the outgoing call to HAPI — and no query string.
 */
interface OtlpSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

const ROOT = path.resolve(__dirname, '../../../..');
jest.setTimeout(90_000);

describe('OpenTelemetry traces (switched on by OTEL_* variables)', () => {
  const spans: OtlpSpan[] = [];
  const bodies: string[] = [];
  let receiver: Server;
  let api: ChildProcess | undefined;
  let apiPort = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push(body);
        if (req.url === '/v1/traces') {
          const doc = JSON.parse(body) as {
            resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
          };
          for (const rs of doc.resourceSpans ?? [])
            for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const free = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => free.once('listening', r));
    apiPort = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    const env = testEnv();
    api = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'services/api/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: String(apiPort),
        HAPI_BASE_URL: env.hapiBaseUrl,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        ERX_WORKER: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'wintehr-api-test',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    api.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`http://127.0.0.1:${apiPort}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (api.exitCode !== null) throw new Error(`the API exited: ${stderr.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the API did not start: ${stderr.slice(-800)}`);
  });

  afterAll(async () => {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api!.once('exit', r));
    }
    await new Promise((r) => receiver.close(r));
  });

  it('one readiness request is one trace across HTTP, PostgreSQL, Redis and HAPI, without its query string', async () => {
    const res = await fetch(`http://127.0.0.1:${apiPort}/health/ready?probe=Maria-Garcia`);
    expect(res.status).toBe(200);
    const attr = (s: OtlpSpan, key: string) => s.attributes?.find((a) => a.key === key)?.value;
    const server = () =>
      spans.find((s) => s.kind === 2 && JSON.stringify(s.attributes ?? []).includes('/health/ready'));
    for (let i = 0; i < 100 && !server(); i++) await new Promise((r) => setTimeout(r, 100));
    const root = server();
    expect(root).toBeDefined();
    // Give the batch processor a moment for the child spans of the same trace.
    await new Promise((r) => setTimeout(r, 500));
    const trace = spans.filter((s) => s.traceId === root!.traceId);
    const systems = new Set(
      trace.map((s) => attr(s, 'db.system.name') ?? attr(s, 'db.system')).map((v) => v?.stringValue),
    );
    expect(systems.has('postgresql')).toBe(true);
    expect(systems.has('redis')).toBe(true);
    const hapiPort = new URL(testEnv().hapiBaseUrl).port;
    const outgoing = trace.filter((s) => s.kind === 3 && JSON.stringify(s.attributes ?? []).includes(`:${hapiPort}`));
    expect(outgoing.length).toBeGreaterThan(0);
    expect(bodies.join('\n')).not.toContain('Maria-Garcia');
  });
});
