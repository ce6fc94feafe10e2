/**
 * RFC 6902 JSON Patch, applied by the gate itself: a PATCH through the gate becomes "read the current version,
 * apply the patch here, check the result like any update, PUT it with If-Match", so the resource that would be
 * written is checked before HAPI sees it. Pure; the input is never mutated.
 */
export type PatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export class JsonPatchError extends Error {}

const MAX_OPS = 100;

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/')))
    throw new JsonPatchError(`invalid JSON pointer ${String(p)}`);
  return p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parentOf(doc: unknown, tokens: string[]): { parent: unknown; key: string } {
  if (tokens.length === 0) throw new JsonPatchError('the document root cannot be changed');
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[index(node, t, false)];
    else if (isObj(node) && Object.prototype.hasOwnProperty.call(node, t)) node = node[t];
    else throw new JsonPatchError(`path not found: /${tokens.join('/')}`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function index(arr: unknown[], t: string, forAdd: boolean): number {
  if (forAdd && t === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(t)) throw new JsonPatchError(`invalid array index ${t}`);
  const i = Number(t);
  if (i > arr.length || (!forAdd && i >= arr.length)) throw new JsonPatchError(`array index ${t} out of range`);
  return i;
}

function get(doc: unknown, tokens: string[]): unknown {
  let node = doc;
  for (const t of tokens) {
    if (Array.isArray(node)) node = node[index(node, t, false)];
    else if (isObj(node) && Object.prototype.hasOwnProperty.call(node, t)) node = node[t];
    else throw new JsonPatchError(`path not found: /${tokens.join('/')}`);
  }
  return node;
}

function add(doc: unknown, tokens: string[], value: unknown): void {
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(index(parent, key, true), 0, value);
  else if (isObj(parent)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype')
      throw new JsonPatchError(`forbidden key ${key}`);
    parent[key] = value;
  } else throw new JsonPatchError(`cannot add at /${tokens.join('/')}`);
}

function remove(doc: unknown, tokens: string[]): unknown {
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) return parent.splice(index(parent, key, false), 1)[0];
  if (isObj(parent) && Object.prototype.hasOwnProperty.call(parent, key)) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  throw new JsonPatchError(`path not found: /${tokens.join('/')}`);
}

export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  if (!Array.isArray(ops) || ops.length === 0 || ops.length > MAX_OPS)
    throw new JsonPatchError(`a JSON Patch is an array of 1 to ${MAX_OPS} operations`);
  const out = clone(doc);
  for (const raw of ops as PatchOp[]) {
    if (!isObj(raw)) throw new JsonPatchError('each operation must be an object');
    const path = parsePointer(raw.path);
    switch (raw.op) {
      case 'add':
        add(out, path, clone(raw.value));
        break;
      case 'remove':
        remove(out, path);
        break;
      case 'replace':
        remove(out, path);
        add(out, path, clone(raw.value));
        break;
      case 'move': {
        const from = parsePointer(raw.from);
        if (raw.path.startsWith(`${raw.from}/`)) throw new JsonPatchError('cannot move a value into itself');
        add(out, path, remove(out, from));
        break;
      }
      case 'copy':
        add(out, path, clone(get(out, parsePointer(raw.from))));
        break;
      case 'test':
        if (JSON.stringify(get(out, path)) !== JSON.stringify(raw.value))
          throw new JsonPatchError(`test failed at ${raw.path}`);
        break;
      default:
        throw new JsonPatchError(`unknown op ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return out;
}
