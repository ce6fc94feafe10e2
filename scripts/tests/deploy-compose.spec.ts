/**
 * docker-compose.yml and its TLS terminator (issue #18), checked on this machine without a container engine:
 * - the compose file is rendered by the compose-spec loader (`docker compose config`, or deploy/compose-check when
 *   the plugin is missing) and the hardening is asserted on the result;
 * - deploy/tls/nginx.conf, the very file the "tls" service mounts, runs in Debian's nginx on free ports with a
 *   throw-away self-signed certificate in front of a tiny upstream: TLS 1.2 is refused, TLS 1.3 handshakes, HSTS is
 *   sent (on errors too), plain HTTP is redirected, the API sees the forwarding headers.
 * Run: node --import tsx --test scripts/tests/deploy-compose.spec.ts
 */

import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo, createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { PRODUCTION_REQUIRED } from '../../services/api/src/core/config';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HSTS = 'max-age=63072000; includeSubDomains';

function tool(name: string): string[] {
  const r = spawnSync('bash', ['deploy/tools.sh', name], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, `deploy/tools.sh ${name}: ${r.stderr}`);
  return r.stdout.trim().split(' ');
}

const work = mkdtempSync(path.join(tmpdir(), 'wintehr-deploy-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  const [cmd, ...pre] = tool('compose-check');
  const secrets = {
    ORTHANC_PASSWORD: 'x',
    JWT_PRIVATE_JWK: '{}',
    MFA_ENCRYPTION_KEY: '0'.repeat(64),
    SURESCRIPTS_URL: 'https://erx.example',
    SURESCRIPTS_USER: 'u',
    SURESCRIPTS_PASSWORD: 'p',
    ERX_INBOUND_USER: 'u',
    ERX_INBOUND_PASSWORD: 'p',
    CLEARINGHOUSE_URL: 'https://ch.example',
    CLEARINGHOUSE_USER: 'u',
    CLEARINGHOUSE_PASSWORD: 'p',
    SMTP_HOST: 'smtp.example',
    SMTP_FROM: 'x@example.org',
    SMS_ACCOUNT_SID: 'AC',
    SMS_AUTH_TOKEN: 't',
    SMS_FROM: '+1',
  };
  const config = (file: string, env: Record<string, string>) => {
    // Same arguments for both: `docker compose -f F config --format json` / `compose-check -f F --format json config`.
    const args =
      cmd === 'docker'
        ? [...pre, '-f', file, 'config', '--format', 'json']
        : ['-f', file, '--format', 'json', 'config'];
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in secrets))) as Record<
      string,
      string
    >;
    return spawnSync(cmd!, args, { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } });
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rendered project, asserted field by field
  let services: Record<string, any> = {};

  before(() => {
    const r = config('docker-compose.yml', secrets);
    assert.equal(r.status, 0, r.stderr);
    services = JSON.parse(r.stdout).services;
  });

  it('renders, and refuses to render without the secrets it requires', () => {
    assert.ok(services.api && services.tls && services.postgres && services.hapi);
    const r = config('docker-compose.yml', {});
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /JWT_PRIVATE_JWK/);
  });

  it('gives the API every setting a production start requires, each one demanded of the operator', () => {
    assert.deepEqual(
      PRODUCTION_REQUIRED.filter((k) => services.api.environment[k] === undefined),
      [],
    );
    const r = config('docker-compose.yml', { ...secrets, SURESCRIPTS_URL: '' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /SURESCRIPTS_URL/);
  });

  it('the checker rejects what the compose specification rejects', () => {
    const bad = path.join(work, 'bad-compose.yml');
    writeFileSync(bad, 'services:\n  x:\n    image: x\n    read_only: maybe\n    cap_dorp: [ALL]\n');
    assert.notEqual(config(bad, {}).status, 0);
  });

  it('publishes only the TLS terminator, on 443 and 80', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (s.ports ?? []).map((p: any) => `${name}:${p.published}->${p.target}`),
    );
    assert.deepEqual(published.sort(), ['tls:443->8443', 'tls:80->8080']);
    assert.ok(
      services.tls.volumes.some(
        (v: { source: string; target: string }) =>
          v.source === path.join(ROOT, 'deploy/tls/nginx.conf') && v.target === '/etc/nginx/nginx.conf',
      ),
    );
  });

  it('every service drops all capabilities, cannot gain privileges and has a read-only root filesystem', () => {
    for (const [name, s] of Object.entries(services)) {
      assert.deepEqual(s.cap_drop, ['ALL'], `${name} cap_drop`);
      assert.ok(s.security_opt?.includes('no-new-privileges:true'), `${name} no-new-privileges`);
      assert.equal(s.read_only, true, `${name} read_only`);
      assert.ok(!s.privileged, `${name} not privileged`);
    }
  });

  it('the API, the TLS terminator, HAPI and Redis run as non-root users', () => {
    for (const name of ['api', 'tls', 'hapi', 'redis']) {
      assert.match(services[name].user ?? '', /^[1-9]\d*(:\d+)?$/, `${name} user`);
    }
  });

  it('health checks on the API, the TLS terminator, PostgreSQL and Redis; the API trusts one proxy hop', () => {
    for (const name of ['api', 'tls', 'postgres', 'redis']) assert.ok(services[name].healthcheck?.test, name);
    assert.equal(services.api.environment.TRUST_PROXY, '1');
    assert.equal(services.tls.depends_on.api.condition, 'service_healthy');
  });

  it('PostgreSQL archives its WAL into the backups volume', () => {
    const command: string[] = services.postgres.command;
    assert.ok(command.includes('archive_mode=on'));
    assert.ok(command.some((c) => c.startsWith('archive_command=') && c.includes('/backups/wal/%f')));
    assert.ok(
      services.postgres.volumes.some(
        (v: { source: string; target: string }) => v.source === 'pgbackups' && v.target === '/backups',
      ),
    );
  });
});

describe('deploy/tls/nginx.conf in nginx', () => {
  const nginx = tool('nginx')[0]!;
  let proc: ChildProcess | undefined;
  let upstream: http.Server;
  let ca = '';
  let httpsPort = 0;
  let httpPort = 0;
  let log = '';

  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });

  before(async () => {
    const openssl = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        path.join(work, 'tls.key'),
        '-out',
        path.join(work, 'tls.crt'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(openssl.status, 0, openssl.stderr);
    ca = readFileSync(path.join(work, 'tls.crt'), 'utf8');

    // Stands in for the API: answers with what it received, and a 503 on /fail.
    upstream = http.createServer((req, res) => {
      res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    [httpsPort, httpPort] = [await freePort(), await freePort()];

    // The production file with only its addresses moved to this machine's free ports and a private directory.
    let conf = readFileSync(path.join(ROOT, 'deploy/tls/nginx.conf'), 'utf8');
    const swap = (from: string, to: string) => {
      assert.ok(conf.includes(from), `deploy/tls/nginx.conf has "${from}"`);
      conf = conf.split(from).join(to);
    };
    swap('listen 8443 ssl', `listen 127.0.0.1:${httpsPort} ssl`);
    swap('listen 8080;', `listen 127.0.0.1:${httpPort};`);
    swap('server api:8000;', `server 127.0.0.1:${upstreamPort};`);
    // /tmp/ first: the private directory is itself under /tmp.
    swap('/tmp/', `${work}/`);
    swap('/etc/nginx/certs/', `${work}/`);
    swap('worker_processes auto;', 'worker_processes 1;');
    // The container's stdout is a pipe docker reads; here a pipe of node's cannot be reopened by path.
    swap('access_log /dev/stdout', `access_log ${work}/access.log`);
    const confFile = path.join(work, 'nginx.conf');
    writeFileSync(confFile, conf);

    const args = ['-e', 'stderr', '-p', work, '-c', confFile];
    const t = spawnSync(nginx, ['-t', ...args], { encoding: 'utf8' });
    assert.equal(t.status, 0, `nginx -t: ${t.stderr}`);
    proc = spawn(nginx, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 15_000;
    while (
      !(await new Promise<boolean>((resolve) => {
        const c = createConnection(httpsPort, '127.0.0.1', () => (c.end(), resolve(true))).on('error', () =>
          resolve(false),
        );
      }))
    ) {
      assert.ok(Date.now() < deadline && proc.exitCode === null, `nginx did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc!.once('exit', r));
    }
    upstream?.close();
  });

  const handshake = (version: tls.SecureVersion) =>
    new Promise<string>((resolve, reject) => {
      const s = tls.connect(
        { host: '127.0.0.1', port: httpsPort, servername: 'localhost', ca, minVersion: version, maxVersion: version },
        () => {
          const protocol = s.getProtocol() ?? '';
          s.end();
          resolve(protocol);
        },
      );
      s.on('error', reject);
    });

  const get = (mod: typeof http | typeof https, port: number, urlPath: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = mod.request(
        { host: '127.0.0.1', port, path: urlPath, servername: 'localhost', ca, headers: { host: 'localhost' } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject).end();
    });

  it('refuses TLS 1.2', async () => {
    await assert.rejects(
      handshake('TLSv1.2'),
      /protocol version|handshake failure|wrong version|unsupported protocol/i,
    );
  });

  it('handshakes TLS 1.3 with the configured certificate', async () => {
    assert.equal(await handshake('TLSv1.3'), 'TLSv1.3');
  });

  it('proxies to the API with HSTS and the forwarding headers the API trusts', async () => {
    const r = await get(https, httpsPort, '/api/patients?name=x');
    assert.equal(r.status, 200);
    assert.equal(r.headers['strict-transport-security'], HSTS);
    const seen = JSON.parse(r.body) as { url: string; headers: Record<string, string> };
    assert.equal(seen.url, '/api/patients?name=x');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(r.headers.server, 'nginx', 'no version in the Server header');
  });

  it('sends HSTS on error answers too', async () => {
    const r = await get(https, httpsPort, '/fail');
    assert.equal(r.status, 503);
    assert.equal(r.headers['strict-transport-security'], HSTS);
  });

  it("does not publish the API's Prometheus metrics", async () => {
    const r = await get(https, httpsPort, '/metrics');
    assert.equal(r.status, 404);
    assert.ok(!r.body.includes('/metrics'), 'not proxied to the API');
  });

  it('redirects plain HTTP to HTTPS, keeping path and query', async () => {
    const r = await get(http, httpPort, '/api/patients?name=x');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, 'https://localhost/api/patients?name=x');
  });
});
