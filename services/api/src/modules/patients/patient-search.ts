import {
  keysOf,
  memoScorer,
  normalizePhone,
  nameTokens,
  scoreName,
  type MatchKind,
  type TokenScorer,
} from './fuzzy-score';
import type { IndexedPatient } from './patient-index';
import type { z } from 'zod';
import type { PatientSearchQuery } from '@wintehr/contracts';
import { isRealDate } from '../../core/fhir/dates';

/** What the free-text `q` was understood as: "karmen redy 1961-11-22" → name tokens + a birth date. */
export interface SearchCriteria {
  nameTokens: string[];
  birthDate?: string;
  mrn?: string;
  phone?: string;
  /** A bare number in q may be an MRN fragment or a phone number: either matches. */
  number?: string;
}

export function parseCriteria(
  s: Pick<z.output<typeof PatientSearchQuery>, 'q' | 'name' | 'birthDate' | 'mrn' | 'phone'>,
): SearchCriteria {
  const c: SearchCriteria = {
    nameTokens: s.name ? nameTokens(s.name) : [],
    birthDate: s.birthDate,
    mrn: s.mrn?.toLowerCase(),
    phone: s.phone ? normalizePhone(s.phone) : undefined,
  };
  for (const raw of (s.q ?? '').split(/\s+/).filter(Boolean)) {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
    const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : raw;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && isRealDate(iso)) c.birthDate ??= iso;
    else if (/^mrn-?/i.test(raw)) c.mrn ??= raw.toLowerCase();
    else if (/^[\d().+-]+$/.test(raw) && raw.replace(/\D/g, '').length >= 4) c.number ??= raw.replace(/\D/g, '');
    else c.nameTokens.push(...nameTokens(raw));
  }
  return c;
}

export interface ScoredPatient {
  patient: IndexedPatient;
  score: number;
  match: MatchKind[];
}

/** Score one candidate; undefined when any given criterion fails. */
export function scorePatient(
  c: SearchCriteria,
  p: IndexedPatient,
  qKeys = c.nameTokens.map(keysOf),
  scorer: TokenScorer = memoScorer(),
): ScoredPatient | undefined {
  if (c.birthDate && p.birthDate !== c.birthDate) return undefined;
  if (c.mrn && !p.identifiers.some((i) => i === c.mrn || i.endsWith(c.mrn!.replace(/^mrn-?/, '')))) return undefined;
  if (c.phone && !p.phones.some((ph) => ph.endsWith(c.phone!))) return undefined;
  if (
    c.number &&
    !p.phones.some((ph) => ph.endsWith(c.number!)) &&
    !p.identifiers.some((i) => i.replace(/\D/g, '').endsWith(c.number!))
  )
    return undefined;
  if (!c.nameTokens.length) return { patient: p, score: 1, match: [] };
  const s = scoreName(qKeys, p.tokens, scorer);
  if (s.score === 0) return undefined;
  return { patient: p, score: s.score, match: s.kinds };
}

/** Best first; among equals active before inactive, then family name and id, so pages are stable. */
export function rankPatients(c: SearchCriteria, candidates: Iterable<IndexedPatient>): ScoredPatient[] {
  const out: ScoredPatient[] = [];
  const qKeys = c.nameTokens.map(keysOf);
  const scorer = memoScorer();
  for (const p of candidates) {
    const s = scorePatient(c, p, qKeys, scorer);
    if (s) out.push(s);
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.patient.active) - Number(a.patient.active) ||
      (a.patient.family ?? '').localeCompare(b.patient.family ?? '') ||
      a.patient.id.localeCompare(b.patient.id),
  );
}
