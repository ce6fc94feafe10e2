import type { Severity } from './types';

const RANK: Readonly<Record<Severity, number>> = { contraindicated: 0, major: 1, moderate: 2, minor: 3, info: 4 };
const ORDER: readonly Exclude<Severity, 'info'>[] = ['contraindicated', 'major', 'moderate', 'minor'];

/** 0 = most severe. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return RANK[a] <= RANK[b];
}

export function mostSevere<S extends Severity>(a: S, b: S): S {
  return RANK[a] <= RANK[b] ? a : b;
}

/** One level more severe (minor -> moderate -> major -> contraindicated). */
export function raise(s: Exclude<Severity, 'info'>): Exclude<Severity, 'info'> {
  const i = ORDER.indexOf(s);
  return ORDER[Math.max(0, i - 1)]!;
}
