import type { FhirClient } from '../../core/fhir/fhir-client';
import { hapiStatusToError } from '../../core/fhir/fhir-errors';
import { keysOf, nameTokens, normalizePhone, type TokenKeys } from './fuzzy-score';
import { mrnOf } from './mrn';
import { isSsn } from './ssn';

/** The few demographics search needs, per patient. No SSN: it is never searchable. */
export interface IndexedPatient {
  id: string;
  family?: string;
  given: string[];
  /** Name tokens with phonetic keys precomputed, so a search does no per-candidate key work. */
  tokens: TokenKeys[];
  birthDate?: string;
  gender?: string;
  mrn?: string;
  /** Lower-cased values of every non-SSN identifier. */
  identifiers: string[];
  phones: string[];
  active: boolean;
}

const ELEMENTS = 'id,name,birthDate,gender,identifier,telecom,active';

export function toIndexed(p: fhir4.Patient): IndexedPatient {
  const official = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  const tokens = new Set<string>();
  for (const n of p.name ?? [])
    for (const part of [...(n.given ?? []), n.family ?? '']) for (const t of nameTokens(part)) tokens.add(t);
  return {
    id: p.id!,
    family: official?.family,
    given: official?.given ?? [],
    tokens: [...tokens].map(keysOf),
    birthDate: p.birthDate,
    gender: p.gender,
    mrn: mrnOf(p),
    identifiers: (p.identifier ?? []).filter((i) => !isSsn(i) && i.value).map((i) => i.value!.toLowerCase()),
    phones: (p.telecom ?? []).filter((t) => t.system === 'phone' && t.value).map((t) => normalizePhone(t.value!)),
    active: p.active !== false,
  };
}

/**
 * An in-memory copy of every Patient's searchable demographics, kept current from HAPI's type-level history
 * (`Patient/_history?_since=`), which also reports deletions. Fuzzy and phonetic name matching needs every
 * candidate, and HAPI's own `phonetic` parameter has no encoder configured (it behaves like an exact
 * string match), so matching happens here; HAPI stays the source of truth. The copy is at most
 * `maxAgeMs` old when a search runs; writes through this API update it at once.
 */
export class PatientIndex {
  private readonly byId = new Map<string, IndexedPatient>();
  private since?: string;
  private syncedAt = 0;
  private inflight?: Promise<void>;

  /**
   * `loadTimeoutMs` bounds each page of the full load and of the change feed: a page of 500 patients can
   * take HAPI longer than an interactive request's timeout on a busy server, and a search is better slow
   * once than failing on every attempt.
   */
  constructor(
    private readonly fhir: FhirClient,
    private readonly maxAgeMs = 2_000,
    private readonly loadTimeoutMs = 30_000,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<IndexedPatient> {
    return this.byId.values();
  }

  upsert(p: fhir4.Patient): void {
    if (p.id) this.byId.set(p.id, toIndexed(p));
  }

  /** Brings the copy up to date when older than maxAgeMs; concurrent callers share one refresh. */
  async fresh(): Promise<void> {
    if (Date.now() - this.syncedAt < this.maxAgeMs) return;
    this.inflight ??= (this.since ? this.pullChanges() : this.loadAll()).finally(() => {
      this.inflight = undefined;
    });
    await this.inflight;
  }

  private async loadAll(): Promise<void> {
    const started = Date.now();
    let bundle = await this.followPage<fhir4.Patient>(`Patient?_elements=${ELEMENTS}&_count=500`);
    const serverTime = bundle.meta?.lastUpdated;
    for (;;) {
      for (const e of bundle.entry ?? []) if (e.resource?.resourceType === 'Patient') this.upsert(e.resource);
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (!next) break;
      bundle = await this.followPage<fhir4.Patient>(next);
    }
    // Overlap a few seconds: re-applying a change is harmless, missing one is not.
    this.since = new Date(Date.parse(serverTime ?? new Date(started).toISOString()) - 5_000).toISOString();
    this.syncedAt = Date.now();
  }

  private async pullChanges(): Promise<void> {
    let bundle = await this.followPage<fhir4.Patient>(
      `Patient/_history?_since=${encodeURIComponent(this.since!)}&_count=1000`,
    );
    const serverTime = bundle.meta?.lastUpdated;
    // History lists newest first; apply oldest first so the latest version wins.
    const entries: fhir4.BundleEntry<fhir4.Patient>[] = [];
    for (;;) {
      entries.push(...(bundle.entry ?? []));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (!next) break;
      bundle = await this.followPage<fhir4.Patient>(next);
    }
    for (const e of entries.reverse()) {
      if (e.request?.method === 'DELETE') {
        const id = /Patient\/([^/]+)/.exec(e.request.url ?? e.fullUrl ?? '')?.[1];
        if (id) this.byId.delete(id);
      } else if (e.resource?.resourceType === 'Patient') {
        this.upsert(e.resource);
      }
    }
    if (serverTime) this.since = new Date(Date.parse(serverTime) - 5_000).toISOString();
    this.syncedAt = Date.now();
  }

  /** HAPI's paging links carry HAPI's own host; only the path after its base and the query matter. */
  private async followPage<R extends fhir4.FhirResource>(url: string): Promise<fhir4.Bundle<R>> {
    const u = new URL(url, 'http://hapi.invalid/fhir/');
    const rel = u.pathname.replace(/^.*?\/fhir\/?/, '');
    const query: Record<string, string[]> = {};
    for (const [k, v] of u.searchParams) (query[k] ??= []).push(v);
    const res = await this.fhir.request('GET', rel, {
      query,
      interaction: 'search Patient index',
      timeoutMs: this.loadTimeoutMs,
    });
    if (res.status >= 300) throw hapiStatusToError(res.status, res.body, 'search Patient index');
    return res.body as fhir4.Bundle<R>;
  }
}
