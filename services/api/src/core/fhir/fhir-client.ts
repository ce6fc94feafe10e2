import { Pool } from 'undici';
import type { Metrics } from '../metrics';
import { hapiStatusToError, networkError } from './fhir-errors';
import { chartChangeOf, type ChartChange } from './patients-touched';

export type SearchParams = Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>;
export type ResourceOf<K extends fhir4.FhirResource['resourceType']> = Extract<fhir4.FhirResource, { resourceType: K }>;

export interface FhirClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  connections: number;
  metrics?: Pick<Metrics, 'fhirDuration'>;
  /**
   * Told, before the write's caller sees the answer, which charts a write may have changed (the chart caches'
   * invalidation). A write that failed without an answer may have happened and is reported too.
   */
  onWrite?: (change: ChartChange) => Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface RequestOptions {
  query?: SearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  /** Label for metrics and error messages, e.g. "read Patient". */
  interaction: string;
  timeoutMs?: number;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD']);

export function toQueryString(params: SearchParams | undefined): string {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function versionFromEtag(etag: string | undefined): string | undefined {
  return etag?.match(/^(?:W\/)?"([^"]+)"$/)?.[1];
}

/**
 * Typed client for HAPI's REST API. One keep-alive pool per process; bounded timeouts on every call;
 * retries (with backoff) only for reads, because a retried create or transaction could be applied twice.
 */
export class FhirClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  readonly baseUrl: string;

  constructor(private readonly opts: FhirClientOptions) {
    const url = new URL(opts.baseUrl);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: opts.connections,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(opts.timeoutMs, 5_000),
    });
  }

  async request(method: string, relPath: string, o: RequestOptions): Promise<RawResponse> {
    const onWrite = this.opts.onWrite;
    if (IDEMPOTENT.has(method) || !onWrite) return this.attempt(method, relPath, o);
    const report = async (answer: unknown) => {
      let change: ChartChange;
      try {
        change = chartChangeOf(method, relPath, o.body, answer);
      } catch {
        change = { kind: 'all' }; // an answer it cannot read must not fail a write HAPI already made
      }
      await onWrite(change).catch(() => undefined);
    };
    try {
      const res = await this.attempt(method, relPath, o);
      // A 4xx changed nothing; a 5xx may have been applied before it failed.
      if (res.status < 400 || res.status >= 500) await report(res.body);
      return res;
    } catch (err) {
      await report(undefined);
      throw err;
    }
  }

  private async attempt(method: string, relPath: string, o: RequestOptions): Promise<RawResponse> {
    const attempts = IDEMPOTENT.has(method) ? this.opts.retries + 1 : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(100 * 2 ** (attempt - 1));
      const started = process.hrtime.bigint();
      try {
        const res = await this.send(method, relPath, o);
        this.observe(method, o.interaction, String(res.status), started);
        if (RETRYABLE_STATUS.has(res.status) && attempt < attempts - 1) continue;
        return res;
      } catch (err) {
        this.observe(method, o.interaction, 'network_error', started);
        lastError = err;
      }
    }
    throw networkError(lastError, o.interaction);
  }

  private async send(method: string, relPath: string, o: RequestOptions): Promise<RawResponse> {
    const timeout = o.timeoutMs ?? this.opts.timeoutMs;
    const headers: Record<string, string> = { accept: 'application/fhir+json', ...o.headers };
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/fhir+json';
    }
    const res = await this.pool.request({
      method: method as 'GET',
      path: `${this.basePath}/${relPath.replace(/^\/+/, '')}${toQueryString(o.query)}`,
      headers,
      body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await res.body.text();
    const type = String(res.headers['content-type'] ?? '');
    let parsed: unknown = text || undefined;
    if (text && type.includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.statusCode, headers: res.headers, body: parsed };
  }

  private observe(method: string, interaction: string, outcome: string, started: bigint): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.opts.metrics?.fhirDuration.observe(
      { method, interaction: interaction.split(' ')[0] ?? interaction, outcome },
      seconds,
    );
  }

  private async expectOk<T>(
    method: string,
    relPath: string,
    o: RequestOptions,
  ): Promise<{ body: T; res: RawResponse }> {
    const res = await this.request(method, relPath, o);
    if (res.status >= 300) throw hapiStatusToError(res.status, res.body, o.interaction);
    return { body: res.body as T, res };
  }

  async read<K extends fhir4.FhirResource['resourceType']>(type: K, id: string): Promise<ResourceOf<K>> {
    return (
      await this.expectOk<ResourceOf<K>>('GET', `${type}/${encodeURIComponent(id)}`, {
        interaction: `read ${type}/${id}`,
      })
    ).body;
  }

  async vread<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    id: string,
    version: string,
  ): Promise<ResourceOf<K>> {
    const path = `${type}/${encodeURIComponent(id)}/_history/${encodeURIComponent(version)}`;
    return (await this.expectOk<ResourceOf<K>>('GET', path, { interaction: `vread ${type}/${id}` })).body;
  }

  async search<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    params: SearchParams = {},
  ): Promise<fhir4.Bundle<ResourceOf<K>>> {
    return (
      await this.expectOk<fhir4.Bundle<ResourceOf<K>>>('GET', type, { query: params, interaction: `search ${type}` })
    ).body;
  }

  /** Resources of one type from a searchset, ignoring included and outcome entries. */
  async searchResources<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    params: SearchParams = {},
  ): Promise<ResourceOf<K>[]> {
    const bundle = await this.search(type, params);
    return (bundle.entry ?? [])
      .filter((e) => e.search?.mode !== 'include' && e.resource?.resourceType === type)
      .map((e) => e.resource as ResourceOf<K>);
  }

  /**
   * Resources by id with `_id=a,b,c`, a search per chunk of ids instead of a read per id; ids HAPI does not have are
   * simply absent from the map. `elements` narrows what HAPI serialises.
   */
  async readMany<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    ids: Iterable<string>,
    opts: { elements?: string; chunk?: number } = {},
  ): Promise<Map<string, ResourceOf<K>>> {
    const out = new Map<string, ResourceOf<K>>();
    const unique = [...new Set(ids)];
    const size = opts.chunk ?? 100;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      const found = await this.searchResources(type, {
        _id: chunk.join(','),
        _count: chunk.length,
        ...(opts.elements ? { _elements: opts.elements } : {}),
      });
      for (const r of found) {
        const id = (r as fhir4.Resource).id;
        if (id) out.set(id, r);
      }
    }
    return out;
  }

  /** Every page of a search (HAPI's `next` links), up to `max` resources of the type; included entries are dropped. */
  async searchAll<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    params: SearchParams = {},
    max = 10_000,
  ): Promise<ResourceOf<K>[]> {
    const out: ResourceOf<K>[] = [];
    let bundle = await this.search(type, params);
    for (;;) {
      for (const e of bundle.entry ?? [])
        if (e.search?.mode !== 'include' && e.resource?.resourceType === type) out.push(e.resource as ResourceOf<K>);
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (!next || out.length >= max) return out.slice(0, max);
      const query = Object.fromEntries(new URL(next).searchParams);
      bundle = (await this.expectOk<fhir4.Bundle<ResourceOf<K>>>('GET', '', { query, interaction: `search ${type}` }))
        .body;
    }
  }

  async create<R extends fhir4.FhirResource>(resource: R, opts: { ifNoneExist?: string } = {}): Promise<R> {
    const headers: Record<string, string> = { prefer: 'return=representation' };
    if (opts.ifNoneExist) headers['if-none-exist'] = opts.ifNoneExist;
    const { body } = await this.expectOk<R>('POST', resource.resourceType, {
      body: resource,
      headers,
      interaction: `create ${resource.resourceType}`,
    });
    return body;
  }

  /** Update; with `ifMatch` (a version id) HAPI refuses with 412 when someone else wrote first. */
  async update<R extends fhir4.FhirResource>(resource: R, opts: { ifMatch?: string } = {}): Promise<R> {
    if (!resource.id) throw new TypeError('update needs resource.id');
    const headers: Record<string, string> = { prefer: 'return=representation' };
    if (opts.ifMatch) headers['if-match'] = `W/"${opts.ifMatch}"`;
    const what = `update ${resource.resourceType}/${resource.id}`;
    const res = await this.request('PUT', `${resource.resourceType}/${encodeURIComponent(resource.id)}`, {
      body: resource,
      headers,
      interaction: what,
    });
    // HAPI answers a stale If-Match with 409 (HAPI-0989), not 412; either way it is a version conflict.
    if (opts.ifMatch && (res.status === 409 || res.status === 412)) throw hapiStatusToError(412, res.body, what);
    if (res.status >= 300) throw hapiStatusToError(res.status, res.body, what);
    return res.body as R;
  }

  async delete(type: fhir4.FhirResource['resourceType'], id: string): Promise<void> {
    await this.expectOk('DELETE', `${type}/${encodeURIComponent(id)}`, { interaction: `delete ${type}/${id}` });
  }

  async history<K extends fhir4.FhirResource['resourceType']>(
    type: K,
    id: string,
    params: SearchParams = {},
  ): Promise<fhir4.Bundle<ResourceOf<K>>> {
    return (
      await this.expectOk<fhir4.Bundle<ResourceOf<K>>>('GET', `${type}/${encodeURIComponent(id)}/_history`, {
        query: params,
        interaction: `history ${type}/${id}`,
      })
    ).body;
  }

  /**
   * Several reads and searches in ONE request (a FHIR `batch` of GETs): one round trip and one HAPI request thread
   * instead of one each. Answers come back in order; an entry HAPI refused throws as its own request would have.
   */
  async batchGet(urls: readonly string[], interaction = 'batch'): Promise<fhir4.FhirResource[]> {
    const res = await this.expectOk<fhir4.Bundle>('POST', '', {
      body: { resourceType: 'Bundle', type: 'batch', entry: urls.map((url) => ({ request: { method: 'GET', url } })) },
      interaction,
    });
    return urls.map((url, i) => {
      const entry = res.body.entry?.[i];
      const status = Number.parseInt(entry?.response?.status ?? '', 10);
      if (!(status >= 200 && status < 300) || !entry?.resource)
        throw hapiStatusToError(
          status || 502,
          entry?.response?.outcome ?? null,
          `${interaction}: ${url.split('?')[0]}`,
        );
      return entry.resource;
    });
  }

  /** A transaction is all-or-nothing in HAPI; it is never retried (see class comment). */
  async transaction(bundle: fhir4.Bundle): Promise<fhir4.Bundle> {
    return (
      await this.expectOk<fhir4.Bundle>('POST', '', {
        body: { ...bundle, type: 'transaction' },
        interaction: 'transaction',
      })
    ).body;
  }

  async operation<T = fhir4.FhirResource>(
    path: string,
    opts: { method?: 'GET' | 'POST'; body?: unknown; query?: SearchParams } = {},
  ): Promise<T> {
    return (
      await this.expectOk<T>(opts.method ?? 'GET', path, {
        body: opts.body,
        query: opts.query,
        interaction: `operation ${path}`,
      })
    ).body;
  }

  async capabilities(): Promise<fhir4.CapabilityStatement> {
    return (await this.expectOk<fhir4.CapabilityStatement>('GET', 'metadata', { interaction: 'capabilities' })).body;
  }

  /** A cheap liveness probe for /health/ready: any 2xx from metadata within the timeout. */
  async ping(timeoutMs = 3_000): Promise<void> {
    const res = await this.send('GET', 'metadata', {
      interaction: 'ping',
      timeoutMs,
      query: { _summary: 'true' },
    }).catch((err) => {
      throw networkError(err, 'ping');
    });
    if (res.status >= 300) throw hapiStatusToError(res.status, res.body, 'ping');
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
