/**
 * Fetching prefetch data from a CDS client's FHIR server that misbehaves: never answers, drips its body, sends
 * too much or not FHIR. Each case must end within the per-call timeout with a reason, never hang or throw.
 * Local loopback servers stand in for the misbehaving FHIR server (no HAPI needed).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { fetchFhir, prefetchUrl } from './fhir-fetch';

const TIMEOUT = 800;
const servers: (http.Server | net.Server)[] = [];
const sockets = new Set<net.Socket>();

async function listen<S extends http.Server | net.Server>(s: S): Promise<string> {
  servers.push(s);
  s.on('connection', (c: net.Socket) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/fhir`;
}

afterAll(async () => {
  for (const c of sockets) c.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function timed(p: Promise<unknown>): Promise<{ result: unknown; ms: number }> {
  const start = Date.now();
  const result = await p;
  return { result, ms: Date.now() - start };
}

describe('fetchFhir against a misbehaving FHIR server', () => {
  it('a server that accepts the connection and never answers: timeout within the per-call limit', async () => {
    const base = await listen(net.createServer(() => undefined));
    const { result, ms } = await timed(fetchFhir(base, 'Patient/1', undefined, TIMEOUT));
    expect(result).toEqual({ ok: false, reason: 'timeout' });
    expect(ms).toBeLessThan(TIMEOUT + 10_000); // a hang never ends; the margin is for a busy machine
  });

  it('a server that sends headers and then drips the body forever: timeout, not a hang', async () => {
    const base = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.write('{"resourceType":"Bundle","entry":[');
        const t = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(t));
      }),
    );
    const { result, ms } = await timed(fetchFhir(base, 'Observation?patient=1', undefined, TIMEOUT));
    expect(result).toEqual({ ok: false, reason: 'timeout' });
    expect(ms).toBeLessThan(TIMEOUT + 10_000); // a hang never ends; the margin is for a busy machine
  });

  it('a body over the size cap is refused without reading it all', async () => {
    const base = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(`{"resourceType":"Bundle","x":"${'a'.repeat(4096)}"}`);
      }),
    );
    expect(await fetchFhir(base, 'Patient/1', undefined, TIMEOUT, 1024)).toEqual({ ok: false, reason: 'too-large' });
  });

  it('not FHIR, not JSON, an error status, and 404 (no such data)', async () => {
    const base = await listen(
      http.createServer((req, res) => {
        const path = req.url ?? '';
        if (path.endsWith('/json')) {
          res.writeHead(200);
          res.end('{"hello":1}');
          return;
        }
        if (path.endsWith('/html')) {
          res.writeHead(200);
          res.end('<html>');
          return;
        }
        if (path.endsWith('/err')) {
          res.writeHead(500);
          res.end();
          return;
        }
        res.writeHead(404);
        res.end();
      }),
    );
    expect(await fetchFhir(base, 'x/json', undefined, TIMEOUT)).toEqual({ ok: false, reason: 'not-fhir' });
    expect(await fetchFhir(base, 'x/html', undefined, TIMEOUT)).toEqual({ ok: false, reason: 'not-fhir' });
    expect(await fetchFhir(base, 'x/err', undefined, TIMEOUT)).toEqual({ ok: false, reason: 'http-500' });
    expect(await fetchFhir(base, 'Patient/404', undefined, TIMEOUT)).toEqual({ ok: true, value: null });
  });

  it('sends the fhirAuthorization token as a Bearer token', async () => {
    let seen: string | undefined;
    const base = await listen(
      http.createServer((req, res) => {
        seen = req.headers.authorization;
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end('{"resourceType":"Patient","id":"1"}');
      }),
    );
    expect(await fetchFhir(base, 'Patient/1', 'tok-123', TIMEOUT)).toEqual({
      ok: true,
      value: { resourceType: 'Patient', id: '1' },
    });
    expect(seen).toBe('Bearer tok-123');
  });

  it('never leaves the given server', () => {
    expect(prefetchUrl('https://ehr.example/fhir', 'Patient/1')).toBe('https://ehr.example/fhir/Patient/1');
    expect(prefetchUrl('https://ehr.example/fhir', '//evil.example/x')).toBeUndefined();
    expect(prefetchUrl('https://ehr.example/fhir', 'http://evil.example/x')).toBeUndefined();
    expect(prefetchUrl('https://ehr.example/fhir', '../admin')).toBeUndefined();
    expect(prefetchUrl('file:///etc', 'passwd')).toBeUndefined();
  });
});
