/**
 * The FHIR gate's decisions, one method per interaction: check the request against the token, rewrite it, send
 * it to HAPI over the FhirClient's keep-alive pool, and check everything in the answer before it leaves.
 * Refusals are AppErrors (rendered as OperationOutcome by the router); nothing the gate cannot check is
 * passed through.
 */
import type { AppDeps } from '../../core/deps';
import { allows, type Interaction, type ResourceScope } from '../../core/auth/smart-scopes';
import { AppError, forbidden } from '../../core/errors';
import type { RawResponse } from '../../core/fhir/fhir-client';
import { compartmentPatients, isCompartmentType, REFERENCE_DATA_TYPES } from './compartment';
import type { GateToken } from './gate-token';
import { isPageQuery, PAGE_SIG_PARAM, rewriteLink, verifyPage } from './page-links';
import type { GateRequest, Params } from './request-parse';
import { parseGateRequest, TYPE_RE } from './request-parse';
import { ResourceChecker, type ReleaseProvider, type Verdict } from './resource-check';
import { checkResultParam, compartmentElements, rewritePatientSearch } from './search-policy';
import { applyJsonPatch, JsonPatchError } from './json-patch';
import { runWriteHooks, type GateWriteHook } from './write-hooks';
import {
  classifyReference,
  containedIds,
  literalReference,
  referenceSlots,
  type ReferenceKind,
} from './write-references';

export interface GateResult {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  /** Audit facts (ids, counts, parameter names; never values). */
  audit: {
    action: string;
    resourceType?: string;
    resourceId?: string;
    patientId?: string;
    details: Record<string, unknown>;
  };
}

export interface GateEnv {
  deps: AppDeps;
  pageKey: Buffer;
  /** HAPI's base URLs as they appear in its answers (it writes its configured server address). */
  hapiBases: readonly string[];
  facadeBase: string;
  requestId?: string;
  /** The write hooks of this app's modules (drug safety), run for every MedicationRequest write. */
  writeHooks: readonly GateWriteHook[];
  /** How a patient's results are released to the patient (from the results module, through the manifest). */
  releaseOf?: ReleaseProvider;
}

const denied = (reason: string, status: 403 | 404 = 403): AppError =>
  status === 404
    ? new AppError(404, 'RESOURCE_NOT_FOUND', 'Resource not found', { reason })
    : forbidden(reason, { reason });

const READ_ONLY_PARAMS = new Set(['_format', '_pretty']);
const MAX_BUNDLE_ENTRIES = 200;

type AnyResource = { resourceType?: string; id?: string; [k: string]: unknown };

const PATIENT_IDENTITY_FIELDS = [
  'identifier',
  'link',
  'managingOrganization',
  'active',
  'generalPractitioner',
] as const;

/** What a reference inside a transaction entry may point at: the fullUrls of the entries the gate itself checked as writes. */
interface BundleRefs {
  transaction: boolean;
  uris: ReadonlySet<string>;
  writable: ReadonlySet<string>;
}

export class Gate {
  private readonly check: ResourceChecker;
  /** Warnings from write hooks (the write went ahead), returned with the answer. */
  private readonly warnings: fhir4.OperationOutcomeIssue[] = [];
  /** One verdict per referenced resource per request (a transaction may name the same Encounter many times). */
  private readonly referenceVerdicts = new Map<string, Promise<string | undefined>>();
  /** Set when a total could count resources the token may not see (user/ searches without a patient, their pages). */
  private dropTotals = false;

  constructor(
    private readonly env: GateEnv,
    private readonly token: GateToken,
  ) {
    this.check = new ResourceChecker(token, env.deps.access, env.releaseOf);
  }

  private get mode() {
    return this.token.mode;
  }

  private requireScope(type: string, i: Interaction): ResourceScope[] {
    const m = allows(this.token.scopes, this.mode, type, i);
    if (m.length === 0)
      throw denied(
        `scopes do not allow ${{ c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[i]} of ${type}`,
      );
    return m;
  }

  private patientTypeAllowed(type: string): void {
    if (this.mode === 'patient' && !isCompartmentType(type) && !REFERENCE_DATA_TYPES.has(type))
      throw denied(`${type} is outside the patient compartment`);
  }

  /** Only _format=json and _pretty on reads and writes. */
  private plainParams(params: Params): void {
    for (const [k, v] of params) {
      if (!READ_ONLY_PARAMS.has(k)) throw denied(`parameter ${k} is not allowed here`);
      const bad = checkResultParam(k, v);
      if (bad) throw denied(bad);
    }
  }

  private async hapi(
    method: string,
    path: string,
    query: Params = [],
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    const q: Record<string, string[]> = {};
    for (const [k, v] of query) (q[k] ??= []).push(v);
    return this.env.deps.fhir.request(method, path, {
      query: q,
      body,
      headers,
      interaction: `gate ${method} ${path.split('/')[0] || 'root'}`,
    });
  }

  /** A HAPI error answer: its status and OperationOutcome go back (URLs rewritten by the router). */
  private passError(res: RawResponse, audit: GateResult['audit']): GateResult {
    const body =
      res.body &&
      typeof res.body === 'object' &&
      (res.body as { resourceType?: string }).resourceType === 'OperationOutcome'
        ? res.body
        : {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'processing', diagnostics: `FHIR server answered ${res.status}` }],
          };
    return { status: res.status >= 500 ? 502 : res.status, body, headers: {}, audit };
  }

  async handle(gr: GateRequest, body: unknown, reqHeaders: Record<string, string | undefined>): Promise<GateResult> {
    switch (gr.kind) {
      case 'search':
        return this.search(gr.type, gr.params);
      case 'page':
        return this.page(gr.params);
      case 'read':
        return this.read(gr.type, gr.id, gr.params);
      case 'vread':
        return this.read(gr.type, gr.id, gr.params, gr.vid);
      case 'history-instance':
        return this.history(gr.type, gr.id, gr.params);
      case 'create':
        return this.warned(await this.create(gr.type, gr.params, body, reqHeaders), reqHeaders.prefer);
      case 'update':
        return this.warned(await this.update(gr.type, gr.id, gr.params, body, reqHeaders), reqHeaders.prefer);
      case 'delete':
        return this.remove(gr.type, gr.id, gr.params);
      case 'patch':
        return this.warned(await this.patch(gr.type, gr.id, gr.params, body), reqHeaders.prefer);
      case 'operation':
        return this.operation(gr);
      case 'batch':
        return this.batch(gr.params, body);
      case 'unsupported':
        throw denied(gr.reason);
      default:
        throw denied('interaction is not supported');
    }
  }

  /**
   * A successful write that a hook warned about: the warnings travel in `Warning` headers (RFC 7234 code 199) and,
   * when the client asked for `Prefer: return=OperationOutcome`, as the OperationOutcome body FHIR defines for that.
   */
  private warned(result: GateResult, prefer: string | undefined): GateResult {
    if (!this.warnings.length || result.status >= 300) return result;
    const headers = {
      ...result.headers,
      warning: this.warnings
        .map(
          (w) => `199 wintehr ${JSON.stringify((w.diagnostics ?? w.details?.text ?? '').replace(/[\r\n"\\]/g, ' '))}`,
        )
        .join(', '),
    };
    const audit = { ...result.audit, details: { ...result.audit.details, warnings: this.warnings.length } };
    if (/return=OperationOutcome/i.test(prefer ?? ''))
      return { ...result, headers, audit, body: { resourceType: 'OperationOutcome', issue: this.warnings } };
    return { ...result, headers, audit };
  }

  // ---- search -------------------------------------------------------------------------------------------

  /** Checks and rewrites a search's parameters for this token (also used for GET entries of a batch). */
  async searchParams(type: string, params: Params): Promise<Params> {
    this.patientTypeAllowed(type);
    const matching = this.requireScope(type, 's');
    let out: Params;
    if (this.mode === 'patient') {
      const r = rewritePatientSearch(type, params, this.token.patientId!, compartmentElements(type));
      if (!r.ok) throw denied(r.reason);
      out = r.params;
    } else {
      out = [];
      for (const [k, v] of params) {
        const name = k.split(':')[0]!;
        const bad = checkResultParam(name, v);
        if (bad) throw denied(bad);
        if (name === '_format' || name === '_pretty') continue;
        if (name === '_elements') {
          out.push([k, [...new Set([...v.split(','), ...compartmentElements(type)])].join(',')]);
          continue;
        }
        out.push([k, v]);
      }
      if (this.mode === 'user') {
        const named = await this.userSearchPatients(type, params);
        // Without a patient in the query, HAPI's count spans patients the user may not reach: never let it out.
        if (named === 0) {
          if (out.some(([k, v]) => k === '_summary' && v === 'count'))
            throw denied('_summary=count needs a patient parameter for user/ tokens');
          this.dropTotals = true;
        }
      }
    }
    // One granular scope and no unrestricted one: apply its restriction in the query too (the response check stays).
    if (matching.every((s) => Object.keys(s.filters).length > 0) && matching.length === 1) {
      for (const [name, values] of Object.entries(matching[0]!.filters)) out.push([name, values.join(',')]);
    }
    return out;
  }

  /** User tokens: every patient named in the query must be one the user may reach. */
  private async userSearchPatients(type: string, params: Params): Promise<number> {
    const named = new Set<string>();
    for (const [k, v] of params) {
      const name = k.split(':')[0]!;
      const isPatientParam = name === 'patient' || name === 'subject' || (type === 'Patient' && name === '_id');
      if (!isPatientParam) continue;
      for (const value of v.split(',')) {
        const id = value.startsWith('Patient/')
          ? value.slice(8)
          : name === 'subject' && value.includes('/')
            ? undefined
            : value;
        if (id) named.add(id);
      }
    }
    for (const id of named) {
      const d = await this.env.deps.access.check(this.token.principal!, id);
      if (!d.allowed) throw denied(`no access to patient ${id}: ${d.reason}`);
    }
    return named.size;
  }

  async search(type: string, params: Params): Promise<GateResult> {
    const query = await this.searchParams(type, params);
    const audit = {
      action: 'fhir.search',
      resourceType: type,
      patientId: this.token.patientId,
      details: { params: [...new Set(params.map(([k]) => k))] },
    };
    const res = await this.hapi('GET', type, query);
    if (res.status >= 300) return this.passError(res, audit);
    const { bundle, dropped } = await this.filterBundle(res.body, ['s', 'r']);
    return {
      status: 200,
      body: bundle,
      headers: {},
      audit: { ...audit, details: { ...audit.details, returned: bundle.entry?.length ?? 0, dropped } },
    };
  }

  async page(params: Params): Promise<GateResult> {
    const audit = {
      action: 'fhir.page',
      patientId: this.token.patientId,
      details: { params: [...new Set(params.map(([k]) => k))] },
    };
    if (!isPageQuery(params) || !verifyPage(this.env.pageKey, this.token.ctx.tokenId, params))
      throw denied('paging link is not valid for this token');
    // A page does not say which search it belongs to; for user/ tokens its total may span other patients.
    if (this.mode === 'user') this.dropTotals = true;
    const res = await this.hapi(
      'GET',
      '',
      params.filter(([k]) => k !== PAGE_SIG_PARAM),
    );
    if (res.status >= 300) return this.passError(res, audit);
    const { bundle, dropped } = await this.filterBundle(res.body, ['s', 'r']);
    return {
      status: 200,
      body: bundle,
      headers: {},
      audit: { ...audit, details: { ...audit.details, returned: bundle.entry?.length ?? 0, dropped } },
    };
  }

  /**
   * Removes every entry the token may not see (recursing into nested Bundles), drops `total` when anything was
   * removed, and rewrites Bundle.link (paging links signed for this token; unknown links dropped).
   */
  async filterBundle(
    raw: unknown,
    interactions: readonly Interaction[],
  ): Promise<{ bundle: fhir4.Bundle; dropped: number }> {
    const bundle = raw as fhir4.Bundle;
    if (!bundle || bundle.resourceType !== 'Bundle')
      throw new AppError(502, 'HAPI_BAD_RESPONSE', 'FHIR server returned an unexpected answer');
    let dropped = 0;
    const kept: fhir4.BundleEntry[] = [];
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as { resourceType?: string } | undefined;
      if (r?.resourceType === 'Bundle') {
        const inner = await this.filterBundle(r, interactions);
        dropped += inner.dropped;
        kept.push({ ...entry, resource: inner.bundle });
        continue;
      }
      const v = await this.check.admit(entry.resource as never, interactions);
      if (v.ok) kept.push(entry);
      else dropped++;
    }
    const out: fhir4.Bundle = { ...bundle, entry: kept };
    if (!kept.length) delete out.entry;
    if (dropped > 0 || this.dropTotals) delete out.total;
    if (bundle.link) {
      out.link = bundle.link
        .map((l) => ({
          ...l,
          url: rewriteLink(l.url, this.env.hapiBases, this.env.facadeBase, this.env.pageKey, this.token.ctx.tokenId),
        }))
        .filter((l): l is fhir4.BundleLink => typeof l.url === 'string');
    }
    return { bundle: out, dropped };
  }

  // ---- read, vread, history ------------------------------------------------------------------------------

  private async fetchChecked(
    type: string,
    id: string,
    interactions: readonly Interaction[],
    vid?: string,
  ): Promise<{ res: RawResponse; verdict: Verdict }> {
    const res = await this.hapi('GET', vid ? `${type}/${id}/_history/${vid}` : `${type}/${id}`);
    if (res.status >= 300) return { res, verdict: { ok: true } };
    return { res, verdict: await this.check.admit(res.body as never, interactions) };
  }

  async read(type: string, id: string, params: Params, vid?: string): Promise<GateResult> {
    this.plainParams(params);
    this.patientTypeAllowed(type);
    this.requireScope(type, 'r');
    const audit = {
      action: vid ? 'fhir.vread' : 'fhir.read',
      resourceType: type,
      resourceId: id,
      patientId: this.token.patientId,
      details: {} as Record<string, unknown>,
    };
    // A patient token never reaches another Patient; answer as if it did not exist.
    if (this.mode === 'patient' && type === 'Patient' && id !== this.token.patientId)
      throw denied('outside the patient in context', 404);
    const { res, verdict } = await this.fetchChecked(type, id, ['r'], vid);
    if (res.status >= 300) return this.passError(res, audit);
    if (!verdict.ok) throw denied(verdict.reason, verdict.status);
    const patientId = this.token.patientId ?? compartmentPatients(res.body as never)[0];
    return {
      status: 200,
      body: res.body,
      headers: pickHeaders(res, ['etag', 'last-modified']),
      audit: { ...audit, patientId },
    };
  }

  async history(type: string, id: string, params: Params): Promise<GateResult> {
    for (const [k, v] of params) {
      if (!['_count', '_since', '_format', '_pretty'].includes(k))
        throw denied(`parameter ${k} is not allowed on history`);
      if (k === '_since' && !/^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(v))
        throw denied('_since must be a date');
      const bad = checkResultParam(k, v);
      if (bad) throw denied(bad);
    }
    this.patientTypeAllowed(type);
    this.requireScope(type, 'r');
    const audit = {
      action: 'fhir.history',
      resourceType: type,
      resourceId: id,
      patientId: this.token.patientId,
      details: {} as Record<string, unknown>,
    };
    // The current version must be visible first (so the history of someone else's resource is a plain 404).
    const { res: current, verdict } = await this.fetchChecked(type, id, ['r']);
    if (current.status >= 300) return this.passError(current, audit);
    if (!verdict.ok) throw denied(verdict.reason, verdict.status);
    const res = await this.hapi(
      'GET',
      `${type}/${id}/_history`,
      params.filter(([k]) => k !== '_format' && k !== '_pretty'),
    );
    if (res.status >= 300) return this.passError(res, audit);
    const { bundle, dropped } = await this.filterBundle(res.body, ['r']);
    return {
      status: 200,
      body: bundle,
      headers: {},
      audit: { ...audit, details: { returned: bundle.entry?.length ?? 0, dropped } },
    };
  }

  // ---- writes --------------------------------------------------------------------------------------------

  /**
   * Checks one resource body for create/update and runs the registered write hooks. Returns the body to send:
   * for patient/ and user/ tokens every reference has been resolved by the gate (conditional ones rewritten to
   * the one resource they match within what the token may see), so HAPI has nothing left to resolve on its own.
   */
  async checkWrite(type: string, resource: unknown, interaction: 'c' | 'u', bundle?: BundleRefs): Promise<AnyResource> {
    this.requireScope(type, interaction);
    if (!resource || typeof resource !== 'object' || (resource as AnyResource).resourceType !== type)
      throw denied(`body must be a ${type} resource`);
    const body =
      this.mode === 'system'
        ? (resource as AnyResource)
        : await this.resolveReferences(resource as AnyResource, bundle);
    const v = await this.check.mayWrite(body as never, type, interaction);
    if (!v.ok) throw denied(v.reason);
    if (type === 'MedicationRequest') {
      await runWriteHooks(this.env.writeHooks, {
        deps: this.env.deps,
        token: this.token,
        interaction: interaction === 'c' ? 'create' : 'update',
        resource: body as unknown as fhir4.MedicationRequest,
        requestId: this.env.requestId,
        warn: (issue) => this.warnings.push(issue),
      });
    }
    return body;
  }

  /** A copy of the resource in which every reference is one the token may make, or a 403 saying which is not. */
  private async resolveReferences(resource: AnyResource, bundle?: BundleRefs): Promise<AnyResource> {
    const copy = structuredClone(resource);
    const ownBases = [this.env.facadeBase, ...this.env.hapiBases];
    const contained = containedIds(copy as { contained?: unknown });
    for (const slot of referenceSlots(copy)) {
      const where = `${slot.path} (${slot.holder.reference})`;
      let r: ReferenceKind = classifyReference(slot.holder.reference, ownBases, bundle?.uris);
      switch (r.kind) {
        case 'malformed':
          throw denied(`${where}: ${r.reason}`);
        case 'external':
          throw denied(`${where}: absolute references are not accepted in ${this.mode}-scoped writes; use Type/id`);
        case 'contained':
          if (r.id !== '' && !contained.has(r.id)) throw denied(`${where}: no contained resource has that id`);
          continue;
        case 'bundle':
          if (!bundle?.transaction || !bundle.writable.has(r.uri))
            throw denied(
              `${where}: a bundle-local reference must name a resource created or updated in the same transaction`,
            );
          continue;
        case 'conditional':
          r = await this.resolveConditional(r.type, r.params, where);
          slot.holder.reference = literalReference(r);
          continue; // found through the token's own search: visible to it by construction
        case 'literal': {
          if (slot.holder.reference !== literalReference(r)) slot.holder.reference = literalReference(r);
          const refusal = await this.referenceRefusal(r);
          if (refusal) throw denied(`${where}: ${refusal}`);
        }
      }
    }
    return copy;
  }

  /**
   * A conditional reference is resolved the way HAPI would, but with the token's own search (patient forced in,
   * scopes and relationships applied, every match checked): exactly one visible match, or a refusal.
   */
  private async resolveConditional(
    type: string,
    params: Params,
    where: string,
  ): Promise<{ kind: 'literal'; type: string; id: string }> {
    if (params.length === 0) throw denied(`${where}: a conditional reference needs search criteria`);
    let query: Params;
    try {
      query = await this.searchParams(type, params);
    } catch (err) {
      if (err instanceof AppError) throw denied(`${where}: conditional reference refused: ${err.message}`);
      throw err;
    }
    const res = await this.hapi('GET', type, [...query.filter(([k]) => k !== '_count'), ['_count', '2']]);
    if (res.status >= 300)
      throw denied(`${where}: conditional reference could not be resolved (FHIR server answered ${res.status})`);
    const { bundle } = await this.filterBundle(res.body, ['s', 'r']);
    const matches = (bundle.entry ?? []).filter(
      (e) =>
        e.search?.mode !== 'include' &&
        e.search?.mode !== 'outcome' &&
        (e.resource as AnyResource | undefined)?.resourceType === type,
    );
    if (matches.length !== 1) {
      throw denied(
        `${where}: conditional reference matches ${matches.length === 0 ? 'no' : 'more than one'} ${type} this token may see`,
      );
    }
    return { kind: 'literal', type, id: (matches[0]!.resource as AnyResource).id! };
  }

  /** Why the token may not point at this resource (undefined: it may). Patients and patient data are checked. */
  private referenceRefusal(r: { type: string; id: string; version?: string }): Promise<string | undefined> {
    const key = literalReference(r);
    let verdict = this.referenceVerdicts.get(key);
    if (!verdict) {
      verdict = this.decideReference(r);
      this.referenceVerdicts.set(key, verdict);
    }
    return verdict;
  }

  private async decideReference(r: { type: string; id: string; version?: string }): Promise<string | undefined> {
    if (r.type === 'Patient') {
      if (this.mode === 'patient')
        return r.id === this.token.patientId
          ? undefined
          : 'a patient-scoped token may only reference the patient in context';
      const d = await this.env.deps.access.check(this.token.principal!, r.id);
      return d.allowed ? undefined : `no access to patient ${r.id}`;
    }
    // Directories, catalogues, definitions: not anyone's record (HAPI still checks that they exist).
    if (!isCompartmentType(r.type)) return undefined;
    const res = await this.hapi('GET', r.version ? `${r.type}/${r.id}/_history/${r.version}` : `${r.type}/${r.id}`);
    // Absent and not-yours read the same, so a write is no oracle for other patients' ids.
    const unreachable = `${literalReference(r)} is not a resource this token may reference`;
    if (res.status >= 300) return unreachable;
    const v = await this.check.mayReference(res.body as never);
    return v.ok ? undefined : unreachable;
  }

  /**
   * Defence in depth after a write: what HAPI stored must be what the gate allowed. If it is not, the write is
   * undone (the created resource deleted, the previous version put back) and the request refused.
   */
  private async confirmWritten(
    type: string,
    stored: unknown,
    interaction: 'c' | 'u',
    undo: () => Promise<unknown>,
  ): Promise<void> {
    if (this.mode === 'system') return;
    const v = await this.check.ownsWritten(stored as never, type, interaction);
    if (v.ok) return;
    this.env.deps.logger.error(
      { type, id: (stored as AnyResource | undefined)?.id, requestId: this.env.requestId },
      'fhir gate: stored resource fails the write check; undoing the write',
    );
    await undo().catch((err: unknown) =>
      this.env.deps.logger.error({ err: (err as Error).message, type }, 'fhir gate: undo failed'),
    );
    throw denied(`the stored ${type} would not belong to this token's patients: ${v.reason}`);
  }

  /**
   * A patient may correct their own contact details, not their identity: identifiers (MRN, SSN), links to other
   * Patients, the managing organisation and the active flag stay as the practice set them. Otherwise a patient
   * could claim another patient's MRN and catch what is matched to it later.
   */
  private keepsIdentity(type: string, current: AnyResource, next: AnyResource): void {
    if (this.mode !== 'patient' || type !== 'Patient') return;
    for (const field of PATIENT_IDENTITY_FIELDS) {
      if (JSON.stringify(current[field] ?? null) !== JSON.stringify(next[field] ?? null))
        throw denied(`a patient-scoped token may not change Patient.${field}`);
    }
  }

  private undoUpdate(type: string, id: string, before: Awaited<ReturnType<Gate['checkCurrent']>>): Promise<unknown> {
    if (before.state === 'absent') return this.hapi('DELETE', `${type}/${id}`);
    const { meta: _meta, ...previous } = before.current;
    return this.hapi('PUT', `${type}/${id}`, [], previous);
  }

  /** The current version of a resource must be the token's to change (updates may not move it to another patient). */
  async checkCurrent(
    type: string,
    id: string,
    interaction: 'u' | 'd',
  ): Promise<{ state: 'exists'; current: AnyResource } | { state: 'absent' }> {
    const res = await this.hapi('GET', `${type}/${id}`);
    if (res.status === 404 || res.status === 410) return { state: 'absent' };
    if (res.status >= 300)
      throw new AppError(502, 'HAPI_BAD_RESPONSE', `FHIR server answered ${res.status} reading the current ${type}`);
    const current = res.body as AnyResource;
    if (this.mode === 'patient') {
      const v = await this.check.admit(current as never, ['r', 's', 'u', 'd']);
      if (!v.ok) throw denied(`the current ${type} does not belong to the patient in context`, 404);
    } else if (this.mode === 'user') {
      const v = await this.check.userMay(current as never, interaction);
      if (!v.ok) throw denied(v.reason);
    }
    return { state: 'exists', current };
  }

  private writeHeaders(h: Record<string, string | undefined>, allowed: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of allowed) if (h[k]) out[k] = h[k]!;
    return out;
  }

  async create(
    type: string,
    params: Params,
    body: unknown,
    h: Record<string, string | undefined>,
  ): Promise<GateResult> {
    this.plainParams(params);
    if (h['if-none-exist']) throw denied('conditional create (If-None-Exist) is not allowed through the gate');
    const checked = await this.checkWrite(type, body, 'c');
    const patientId = this.token.patientId ?? compartmentPatients(checked as never)[0];
    const audit = { action: 'fhir.create', resourceType: type, patientId, details: {} as Record<string, unknown> };
    const res = await this.hapi('POST', type, [], stripId(checked), {
      prefer: 'return=representation',
      ...this.writeHeaders(h, []),
    });
    if (res.status >= 300) return this.passError(res, audit);
    const created = res.body as { id?: string };
    await this.confirmWritten(type, res.body, 'c', () => this.hapi('DELETE', `${type}/${created.id}`));
    return {
      status: res.status,
      body: res.body,
      headers: pickHeaders(res, ['etag', 'last-modified', 'location', 'content-location']),
      audit: { ...audit, resourceId: created?.id },
    };
  }

  async update(
    type: string,
    id: string,
    params: Params,
    body: unknown,
    h: Record<string, string | undefined>,
  ): Promise<GateResult> {
    this.plainParams(params);
    if (!body || typeof body !== 'object' || (body as { id?: unknown }).id !== id)
      throw denied('the body id must equal the id in the URL');
    this.requireScope(type, 'u');
    const before = await this.checkCurrent(type, id, 'u');
    if (before.state === 'exists') this.keepsIdentity(type, before.current, body as AnyResource);
    // Update-as-create (the id does not exist yet) needs the create permission too.
    const checked = await this.checkWrite(type, body, before.state === 'absent' ? 'c' : 'u');
    const patientId = this.token.patientId ?? compartmentPatients(checked as never)[0];
    const audit = {
      action: 'fhir.update',
      resourceType: type,
      resourceId: id,
      patientId,
      details: { created: before.state === 'absent' },
    };
    const res = await this.hapi('PUT', `${type}/${id}`, [], checked, {
      prefer: 'return=representation',
      ...this.writeHeaders(h, ['if-match']),
    });
    if (res.status >= 300) return this.passError(res, audit);
    await this.confirmWritten(type, res.body, before.state === 'absent' ? 'c' : 'u', () =>
      this.undoUpdate(type, id, before),
    );
    return {
      status: res.status,
      body: res.body,
      headers: pickHeaders(res, ['etag', 'last-modified', 'location', 'content-location']),
      audit,
    };
  }

  /**
   * JSON Patch: the gate reads the current version, checks it, applies the patch itself, checks the result as an
   * update and writes it with If-Match on the version it read (a concurrent change answers 409/412).
   */
  async patch(type: string, id: string, params: Params, ops: unknown): Promise<GateResult> {
    this.plainParams(params);
    this.patientTypeAllowed(type);
    this.requireScope(type, 'u');
    const audit = {
      action: 'fhir.patch',
      resourceType: type,
      resourceId: id,
      patientId: this.token.patientId,
      details: {} as Record<string, unknown>,
    };
    const res = await this.hapi('GET', `${type}/${id}`);
    if (res.status >= 300) return this.passError(res, audit);
    const current = res.body as { resourceType?: string; id?: string; meta?: { versionId?: string } };
    if (this.mode === 'patient') {
      const v = await this.check.admit(current as never, ['r', 's', 'u']);
      if (!v.ok) throw denied(`the current ${type} does not belong to the patient in context`, 404);
    } else if (this.mode === 'user') {
      const v = await this.check.userMay(current as never, 'u');
      if (!v.ok) throw denied(v.reason);
    }
    let patched: { resourceType?: string; id?: string };
    try {
      patched = applyJsonPatch(current, ops);
    } catch (err) {
      if (err instanceof JsonPatchError)
        throw new AppError(422, 'FHIR_VALIDATION_ERROR', `JSON Patch cannot be applied: ${err.message}`);
      throw err;
    }
    if (patched.resourceType !== type || patched.id !== id) throw denied('a patch may not change resourceType or id');
    this.keepsIdentity(type, current as AnyResource, patched as AnyResource);
    const checked = await this.checkWrite(type, patched, 'u');
    const version = current.meta?.versionId;
    const res2 = await this.hapi('PUT', `${type}/${id}`, [], checked, {
      prefer: 'return=representation',
      ...(version ? { 'if-match': `W/"${version}"` } : {}),
    });
    if (res2.status >= 300) return this.passError(res2, audit);
    await this.confirmWritten(type, res2.body, 'u', () =>
      this.undoUpdate(type, id, { state: 'exists', current: current as AnyResource }),
    );
    return {
      status: res2.status,
      body: res2.body,
      headers: pickHeaders(res2, ['etag', 'last-modified', 'location', 'content-location']),
      audit: { ...audit, details: { operations: Array.isArray(ops) ? ops.length : 0 } },
    };
  }

  async remove(type: string, id: string, params: Params): Promise<GateResult> {
    this.plainParams(params);
    this.patientTypeAllowed(type);
    this.requireScope(type, 'd');
    if (this.mode === 'patient' && type === 'Patient') throw denied('a patient-scoped token cannot delete a Patient');
    const audit = {
      action: 'fhir.delete',
      resourceType: type,
      resourceId: id,
      patientId: this.token.patientId,
      details: {} as Record<string, unknown>,
    };
    if ((await this.checkCurrent(type, id, 'd')).state === 'absent') throw denied('not found', 404);
    const res = await this.hapi('DELETE', `${type}/${id}`);
    if (res.status >= 300) return this.passError(res, audit);
    return { status: res.status, body: res.body, headers: {}, audit };
  }

  // ---- operations ----------------------------------------------------------------------------------------

  async operation(gr: Extract<GateRequest, { kind: 'operation' }>): Promise<GateResult> {
    if (gr.op !== '$everything') throw denied(`operation ${gr.op} is not allowed through the gate`);
    if (gr.type !== 'Patient' || !gr.id)
      throw denied('only Patient/<id>/$everything is allowed (type-level $everything is refused)');
    if (gr.method !== 'GET') throw denied('use GET for $everything');
    const audit = {
      action: 'fhir.operation',
      resourceType: 'Patient',
      resourceId: gr.id,
      patientId: gr.id,
      details: { operation: gr.op, params: [...new Set(gr.params.map(([k]) => k))] } as Record<string, unknown>,
    };
    this.requireScope('Patient', 'r');
    if (this.mode === 'patient' && gr.id !== this.token.patientId) throw denied('outside the patient in context', 404);
    if (this.mode === 'user') {
      const d = await this.env.deps.access.check(this.token.principal!, gr.id);
      if (!d.allowed) throw denied(`no access to patient ${gr.id}: ${d.reason}`);
    }
    const query: Params = [];
    for (const [k, v] of gr.params) {
      if (k === '_format' || k === '_pretty') {
        const bad = checkResultParam(k, v);
        if (bad) throw denied(bad);
        continue;
      }
      if (k === '_count') {
        const bad = checkResultParam(k, v);
        if (bad) throw denied(bad);
      } else if (k === '_type') {
        if (!v.split(',').every((t) => TYPE_RE.test(t))) throw denied('_type must list resource types');
      } else if (k === '_since' || k === 'start' || k === 'end') {
        if (!/^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(v)) throw denied(`${k} must be a date`);
      } else throw denied(`parameter ${k} is not allowed on $everything`);
      query.push([k, v]);
    }
    const res = await this.hapi('GET', `Patient/${gr.id}/$everything`, query);
    if (res.status >= 300) return this.passError(res, audit);
    const { bundle, dropped } = await this.filterBundle(res.body, ['r', 's']);
    return {
      status: 200,
      body: bundle,
      headers: {},
      audit: { ...audit, details: { ...audit.details, returned: bundle.entry?.length ?? 0, dropped } },
    };
  }

  // ---- batch / transaction -------------------------------------------------------------------------------

  async batch(params: Params, body: unknown): Promise<GateResult> {
    this.plainParams(params);
    const bundle = body as fhir4.Bundle;
    if (!bundle || bundle.resourceType !== 'Bundle' || (bundle.type !== 'batch' && bundle.type !== 'transaction'))
      throw denied('POST to the base must be a batch or transaction Bundle');
    const entries = bundle.entry ?? [];
    if (entries.length > MAX_BUNDLE_ENTRIES) throw denied(`at most ${MAX_BUNDLE_ENTRIES} entries per bundle`);
    const action = bundle.type === 'batch' ? 'fhir.batch' : 'fhir.transaction';
    const outEntries: fhir4.BundleEntry[] = [];
    const types = new Set<string>();
    const refs = bundleRefs(bundle);
    const entryWarnings = new Map<number, fhir4.OperationOutcomeIssue[]>();
    for (const [i, entry] of entries.entries()) {
      try {
        const before = this.warnings.length;
        outEntries.push(await this.batchEntry(entry, types, refs));
        if (this.warnings.length > before) entryWarnings.set(i, this.warnings.slice(before));
      } catch (err) {
        if (err instanceof AppError)
          throw new AppError(err.status, err.code, `entry ${i}: ${err.message}`, err.details);
        throw err;
      }
    }
    const audit = {
      action,
      patientId: this.token.patientId,
      details: { entries: entries.length, types: [...types] } as Record<string, unknown>,
    };
    const res = await this.hapi('POST', '', [], { ...bundle, entry: outEntries }, { prefer: 'return=representation' });
    if (res.status >= 300) return this.passError(res, audit);
    const reply = res.body as fhir4.Bundle;
    if (!reply || reply.resourceType !== 'Bundle')
      throw new AppError(502, 'HAPI_BAD_RESPONSE', 'FHIR server returned an unexpected answer');
    let dropped = 0;
    const checked: fhir4.BundleEntry[] = [];
    for (const [i, reply0] of (reply.entry ?? []).entries()) {
      const warned = entryWarnings.get(i);
      const e =
        warned && reply0.response
          ? {
              ...reply0,
              response: { ...reply0.response, outcome: { resourceType: 'OperationOutcome' as const, issue: warned } },
            }
          : reply0;
      const r = e.resource as { resourceType?: string } | undefined;
      if (!r) {
        checked.push(e);
        continue;
      }
      if (r.resourceType === 'Bundle') {
        const inner = await this.filterBundle(r, ['s', 'r']);
        dropped += inner.dropped;
        checked.push({ ...e, resource: inner.bundle });
        continue;
      }
      const v = await this.check.admit(r as never, ['r', 's', 'c', 'u']);
      if (v.ok) checked.push(e);
      else {
        dropped++;
        checked.push({
          response: {
            status: '403 Forbidden',
            outcome: {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'forbidden', diagnostics: v.reason }],
            },
          },
        });
      }
    }
    return {
      status: res.status,
      body: { ...reply, entry: checked },
      headers: {},
      audit: { ...audit, details: { ...audit.details, dropped } },
    };
  }

  private async batchEntry(entry: fhir4.BundleEntry, types: Set<string>, refs: BundleRefs): Promise<fhir4.BundleEntry> {
    const method = entry.request?.method;
    const url = entry.request?.url;
    if (!method || typeof url !== 'string' || !url) throw denied('every entry needs request.method and request.url');
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/'))
      throw denied('entry urls must be relative (Type/id or Type?query)');
    if (entry.request?.ifNoneExist) throw denied('conditional create (ifNoneExist) is not allowed through the gate');
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const query = [...new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1)).entries()] as Params;
    const gr = parseGateRequest(method, `/${path}`, query);
    if ('type' in gr && gr.type) types.add(gr.type);
    switch (gr.kind) {
      case 'search':
        if (gr.viaPost) throw denied('POST _search is not allowed inside a bundle');
        return {
          ...entry,
          request: {
            ...entry.request!,
            url: `${gr.type}?${new URLSearchParams(await this.searchParams(gr.type, gr.params)).toString()}`,
          },
        };
      case 'read':
      case 'vread': {
        this.plainParams(gr.params);
        this.patientTypeAllowed(gr.type);
        this.requireScope(gr.type, 'r');
        if (this.mode === 'patient' && gr.type === 'Patient' && gr.id !== this.token.patientId)
          throw denied('outside the patient in context', 404);
        return entry; // the answer is checked like any read
      }
      case 'create':
        this.plainParams(gr.params);
        return {
          ...entry,
          resource: (await this.checkWrite(gr.type, entry.resource, 'c', refs)) as fhir4.FhirResource,
        };
      case 'update': {
        this.plainParams(gr.params);
        if ((entry.resource as { id?: string } | undefined)?.id !== gr.id)
          throw denied('the body id must equal the id in the URL');
        this.requireScope(gr.type, 'u');
        const before = await this.checkCurrent(gr.type, gr.id, 'u');
        if (before.state === 'exists') this.keepsIdentity(gr.type, before.current, entry.resource as AnyResource);
        return {
          ...entry,
          resource: (await this.checkWrite(
            gr.type,
            entry.resource,
            before.state === 'absent' ? 'c' : 'u',
            refs,
          )) as fhir4.FhirResource,
        };
      }
      case 'delete':
        this.plainParams(gr.params);
        this.requireScope(gr.type, 'd');
        if (this.mode === 'patient' && gr.type === 'Patient')
          throw denied('a patient-scoped token cannot delete a Patient');
        if ((await this.checkCurrent(gr.type, gr.id, 'd')).state === 'absent') throw denied('not found', 404);
        return entry;
      case 'unsupported':
        throw denied(gr.reason);
      default:
        throw denied(`${gr.kind} is not allowed inside a bundle`);
    }
  }
}

function pickHeaders(res: RawResponse, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = res.headers[n];
    if (typeof v === 'string') out[n] = v;
  }
  return out;
}

/**
 * The fullUrls of a bundle's entries (HAPI rewrites references to them) and which of them name a resource the
 * gate checks as a write (a plain create or an update of Type/id; conditional entries are refused anyway).
 */
function bundleRefs(bundle: fhir4.Bundle): BundleRefs {
  const uris = new Set<string>();
  const writable = new Set<string>();
  for (const e of bundle.entry ?? []) {
    if (typeof e.fullUrl !== 'string' || !e.fullUrl) continue;
    uris.add(e.fullUrl);
    const method = e.request?.method;
    const url = e.request?.url ?? '';
    if (
      (method === 'POST' && /^[A-Z][A-Za-z]+$/.test(url) && !e.request?.ifNoneExist) ||
      (method === 'PUT' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(url))
    )
      writable.add(e.fullUrl);
  }
  return { transaction: bundle.type === 'transaction', uris, writable };
}

/** A create never chooses its id (HAPI would ignore it anyway; this keeps the audit honest). */
function stripId(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { id: _ignored, ...rest } = body as { id?: string };
  return rest;
}
