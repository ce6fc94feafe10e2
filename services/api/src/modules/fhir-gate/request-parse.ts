/**
 * Classifies a request to the FHIR façade (method + path below /fhir + query) into the one interaction the gate
 * knows how to check. Anything else becomes `unsupported` with a reason (the gate answers 403). Pure.
 */
import { FHIR_ID_RE } from '../../core/fhir/fhir-kit';

export type Params = Array<[string, string]>;

export type GateRequest =
  | { kind: 'metadata' }
  | { kind: 'smart-configuration' }
  | { kind: 'page'; params: Params }
  | { kind: 'search'; type: string; params: Params; viaPost: boolean }
  | { kind: 'read'; type: string; id: string; params: Params }
  | { kind: 'vread'; type: string; id: string; vid: string; params: Params }
  | { kind: 'history-instance'; type: string; id: string; params: Params }
  | { kind: 'create'; type: string; params: Params }
  | { kind: 'update'; type: string; id: string; params: Params }
  | { kind: 'patch'; type: string; id: string; params: Params }
  | { kind: 'delete'; type: string; id: string; params: Params }
  | { kind: 'batch'; params: Params }
  | { kind: 'operation'; type: string; id?: string; op: string; method: 'GET' | 'POST'; params: Params }
  | { kind: 'unsupported'; reason: string; type?: string; id?: string };

export const TYPE_RE = /^[A-Z][A-Za-z]{1,63}$/;
const OP_RE = /^\$[a-z][a-z-]{0,63}$/;

const unsupported = (reason: string, type?: string, id?: string): GateRequest => ({
  kind: 'unsupported',
  reason,
  ...(type ? { type } : {}),
  ...(id ? { id } : {}),
});

/** `path` is below /fhir, e.g. '/Observation/1'; `params` in request order. */
export function parseGateRequest(method: string, path: string, params: Params): GateRequest {
  const segs = path.split('/').filter((s) => s !== '');
  if (segs.some((s) => s === '.' || s === '..')) return unsupported('path is not understood');
  let decoded: string[];
  try {
    decoded = segs.map((s) => decodeURIComponent(s));
  } catch {
    return unsupported('path is not understood');
  }
  // Percent-encoded dot segments would be normalised away on the way to HAPI (Observation/%2e%2e is the base).
  if (decoded.some((s) => /^\.+$/.test(s) || s.includes('/'))) return unsupported('path is not understood');
  const [a, b, c, d, ...more] = decoded;
  if (more.length) return unsupported('path is not understood');

  if (a === undefined) {
    if (method === 'GET' && params.some(([k]) => k === '_getpages')) return { kind: 'page', params };
    if (method === 'POST') return { kind: 'batch', params };
    return unsupported('system-level search and history are not available through the gate');
  }
  if (a === 'metadata' && b === undefined)
    return method === 'GET' ? { kind: 'metadata' } : unsupported('metadata is read-only');
  if (a === '.well-known' && b === 'smart-configuration' && c === undefined) return { kind: 'smart-configuration' };
  if (a.startsWith('$')) return unsupported(`system-level operation ${a} is not allowed`);
  if (a === '_history' || a === '_search') return unsupported(`system-level ${a} is not allowed`);
  if (!TYPE_RE.test(a)) return unsupported(`${a} is not a resource type`);
  const type = a;

  if (b === undefined) {
    if (method === 'GET') return { kind: 'search', type, params, viaPost: false };
    if (method === 'POST') return { kind: 'create', type, params };
    if (method === 'PUT' || method === 'PATCH')
      return unsupported('conditional update is not allowed through the gate', type);
    if (method === 'DELETE') return unsupported('conditional delete is not allowed through the gate', type);
    return unsupported(`${method} is not supported`, type);
  }
  if (b === '_search' && c === undefined)
    return method === 'POST'
      ? { kind: 'search', type, params, viaPost: true }
      : unsupported('use GET for search', type);
  if (b === '_history') return unsupported('type-level history is not allowed through the gate', type);
  if (b.startsWith('$')) {
    if (c !== undefined || !OP_RE.test(b)) return unsupported('operation path is not understood', type);
    if (method !== 'GET' && method !== 'POST') return unsupported(`${method} is not supported`, type);
    return { kind: 'operation', type, op: b, method, params };
  }
  if (!FHIR_ID_RE.test(b)) return unsupported(`${b} is not a resource id`, type);
  const id = b;

  if (c === undefined) {
    if (method === 'GET') return { kind: 'read', type, id, params };
    if (method === 'PUT') return { kind: 'update', type, id, params };
    if (method === 'DELETE') return { kind: 'delete', type, id, params };
    if (method === 'PATCH') return { kind: 'patch', type, id, params };
    return unsupported(`${method} is not supported`, type, id);
  }
  if (c === '_history') {
    if (method !== 'GET') return unsupported(`${method} is not supported on history`, type, id);
    if (d === undefined) return { kind: 'history-instance', type, id, params };
    if (!FHIR_ID_RE.test(d)) return unsupported(`${d} is not a version id`, type, id);
    return { kind: 'vread', type, id, vid: d, params };
  }
  if (c.startsWith('$')) {
    if (d !== undefined || !OP_RE.test(c)) return unsupported('operation path is not understood', type, id);
    if (method !== 'GET' && method !== 'POST') return unsupported(`${method} is not supported`, type, id);
    return { kind: 'operation', type, id, op: c, method, params };
  }
  if (TYPE_RE.test(c))
    return unsupported(`compartment search ${type}/${id}/${c} is not allowed; use ${c}?patient=${id}`, type, id);
  return unsupported('path is not understood', type, id);
}
