/**
 * Module boundaries as a test: the folders under modules/ may depend on each other only without cycles (ESLint's
 * no-cycle sees files; a cycle between two folders through different files slipped past it before), and no module
 * reaches into the test support of another.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const MODULES = __dirname;
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(name) && !/\.test\.ts$|\.test-util\.ts$|\.int-fixtures\.ts$/.test(name) ? [p] : [];
  });
}

const moduleOf = (file: string): string | undefined => {
  const rel = relative(MODULES, file);
  return rel.startsWith('..') || !rel.includes(sep) ? undefined : rel.split(sep)[0];
};

/** Folder-level edges (a → b when a file of a imports a file of b), from the sources that ship. */
export function moduleEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(MODULES)) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = moduleOf(resolve(dirname(file), m[1]!));
      if (to && to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  return edges;
}

function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const next of edges.get(n) ?? []) {
      const c = visit(next);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('module graph', () => {
  it('has edges to look at (the scan finds the imports)', () => {
    const edges = moduleEdges();
    expect(edges.get('medications')?.has('drug-safety')).toBe(true);
    expect(edges.get('users')?.has('auth')).toBe(true);
  });

  it('has no cycle between module folders', () => {
    expect(findCycle(moduleEdges())).toBeUndefined();
  });

  it('finds a cycle when there is one', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(edges)).toEqual(['a', 'b', 'c', 'a']);
  });
});
