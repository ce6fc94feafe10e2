/**
 * Overdue preventive care from age/sex/condition rules (a small table of pure rules, after USPSTF and CDC/ADA
 * recommendations). A rule applies to a patient, and is satisfied by evidence (a procedure, observation, report or
 * immunization with one of its codes) dated within its interval.
 */
import { clampSummary, source } from './cards';
import type { CardDraft } from './cds-types';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';

export interface PreventiveFacts {
  ageYears?: number;
  sex?: string;
  /** Active conditions' codings. */
  conditions: readonly fhir4.Coding[];
  /** Dated evidence: every coding of procedures, observations, diagnostic reports and immunizations, with its date. */
  evidence: readonly { coding: fhir4.Coding; date: string }[];
}

export type Interval = number | 'flu-season';

export interface PreventiveRule {
  id: string;
  title: string;
  applies(f: PreventiveFacts): boolean;
  /** Evidence codes by system, each group with how recent it must be: months, or 'flu-season' (since 1 August). */
  evidence: readonly { system: string; codes: readonly string[]; interval: Interval }[];
  link: { label: string; url: string };
  advice: string;
}

const inAge = (f: PreventiveFacts, lo: number, hi: number) =>
  f.ageYears !== undefined && f.ageYears >= lo && f.ageYears <= hi;
const hasCondition = (f: PreventiveFacts, snomed: readonly string[], icdPrefixes: readonly string[]) =>
  f.conditions.some(
    (c) =>
      (c.system === SNOMED && snomed.includes(c.code ?? '')) ||
      (c.system === ICD10 && icdPrefixes.some((p) => (c.code ?? '').startsWith(p))),
  );

export const PREVENTIVE_RULES: readonly PreventiveRule[] = [
  {
    id: 'colorectal-screening',
    title: 'Colorectal cancer screening',
    applies: (f) => inAge(f, 45, 75),
    evidence: [
      { system: SNOMED, codes: ['73761001', '310634005'], interval: 120 }, // colonoscopy
      { system: SNOMED, codes: ['44441009', '418714002'], interval: 60 }, // flexible sigmoidoscopy, CT colonography
      { system: LOINC, codes: ['28022-2'], interval: 120 }, // colonoscopy report
      { system: LOINC, codes: ['77353-1', '77354-9'], interval: 36 }, // stool DNA-FIT
      { system: LOINC, codes: ['29771-3', '57905-2', '56490-6', '56491-4', '2335-8', '27396-1'], interval: 12 }, // FIT / gFOBT
    ],
    link: {
      label: 'USPSTF: colorectal cancer screening (2021)',
      url: 'https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/colorectal-cancer-screening',
    },
    advice: 'Adults 45–75: colonoscopy every 10 years, or stool FIT yearly, or stool DNA-FIT every 1–3 years.',
  },
  {
    id: 'breast-cancer-screening',
    title: 'Screening mammography',
    applies: (f) => f.sex === 'female' && inAge(f, 50, 74),
    evidence: [
      { system: SNOMED, codes: ['71651007', '241055006', '24623002', '384151000119104'], interval: 24 },
      { system: LOINC, codes: ['24606-6', '26346-7', '26347-5', '24604-1', '36319-2', '86462-9'], interval: 24 },
    ],
    link: {
      label: 'USPSTF: breast cancer screening',
      url: 'https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/breast-cancer-screening',
    },
    advice: 'Women 50–74: screening mammography every 2 years.',
  },
  {
    id: 'diabetes-a1c',
    title: 'Hemoglobin A1c for diabetes',
    applies: (f) =>
      hasCondition(f, ['44054006', '46635009', '73211009', '190330002', '11530004'], ['E10', 'E11', 'E13']),
    evidence: [{ system: LOINC, codes: ['4548-4', '17856-6', '4549-2', '59261-8', '41995-2'], interval: 6 }],
    link: {
      label: 'ADA Standards of Care: glycemic goals',
      url: 'https://diabetesjournals.org/care/issue/48/Supplement_1',
    },
    advice: 'Diabetes: measure A1c at least every 6 months (every 3 months when not at goal).',
  },
  {
    id: 'influenza-vaccine',
    title: 'Seasonal influenza vaccine',
    applies: (f) => f.ageYears !== undefined && f.ageYears >= 1,
    evidence: [
      {
        system: CVX,
        codes: [
          '88',
          '135',
          '140',
          '141',
          '144',
          '149',
          '150',
          '153',
          '155',
          '158',
          '161',
          '166',
          '168',
          '171',
          '185',
          '186',
          '197',
          '200',
          '201',
          '202',
          '205',
          '231',
        ],
        interval: 'flu-season',
      },
    ],
    link: { label: 'CDC: who needs a flu vaccine', url: 'https://www.cdc.gov/flu/vaccines/vaccinations.html' },
    advice: 'Everyone 6 months and older: one influenza vaccine each season.',
  },
];

/** Start of the window in which evidence counts. */
export function windowStart(interval: Interval, now: Date): Date {
  if (interval === 'flu-season') {
    const y = now.getUTCMonth() >= 7 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    return new Date(Date.UTC(y, 7, 1));
  }
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - interval);
  return d;
}

export interface DueItem {
  rule: PreventiveRule;
  lastDone?: string;
}

/** The rules that apply and have no evidence within their window, with the last time each was done (if ever). */
export function overduePreventiveCare(
  f: PreventiveFacts,
  now: Date,
  rules: readonly PreventiveRule[] = PREVENTIVE_RULES,
): DueItem[] {
  const due: DueItem[] = [];
  for (const rule of rules) {
    if (!rule.applies(f)) continue;
    let last: string | undefined;
    let current = false;
    for (const group of rule.evidence) {
      const since = windowStart(group.interval, now).toISOString();
      for (const e of f.evidence) {
        if (e.coding.system !== group.system || !group.codes.includes(e.coding.code ?? '')) continue;
        if (!last || e.date > last) last = e.date;
        if (e.date >= since) current = true;
      }
    }
    if (!current) due.push({ rule, ...(last ? { lastDone: last.slice(0, 10) } : {}) });
  }
  return due;
}

export function preventiveCard(item: DueItem): CardDraft {
  const { rule } = item;
  return {
    ruleId: `preventive:${rule.id}`,
    indicator: 'info',
    summary: clampSummary(`Due: ${rule.title}${item.lastDone ? ` (last ${item.lastDone})` : ' (no record found)'}`),
    detail: `${rule.advice}\n\n${item.lastDone ? `Last recorded: ${item.lastDone}.` : 'No record of it was found in the chart.'}`,
    source: { ...source(`preventive:${rule.id}`, rule.title), url: rule.link.url },
    links: [{ label: rule.link.label, url: rule.link.url, type: 'absolute' }],
  };
}

/** Dated codings of procedures, observations, reports and immunizations, as preventive-care evidence. */
export function evidenceOf(resources: readonly fhir4.FhirResource[]): PreventiveFacts['evidence'] {
  const out: { coding: fhir4.Coding; date: string }[] = [];
  for (const r of resources) {
    let codes: fhir4.Coding[] = [];
    let date: string | undefined;
    if (r.resourceType === 'Procedure') {
      if (r.status !== 'completed') continue;
      codes = r.code?.coding ?? [];
      date = r.performedDateTime ?? r.performedPeriod?.end ?? r.performedPeriod?.start;
    } else if (r.resourceType === 'Observation') {
      if (!['final', 'amended', 'corrected'].includes(r.status)) continue;
      codes = r.code.coding ?? [];
      date = r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued;
    } else if (r.resourceType === 'DiagnosticReport') {
      if (!['final', 'amended', 'corrected', 'appended'].includes(r.status)) continue;
      codes = r.code.coding ?? [];
      date = r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued;
    } else if (r.resourceType === 'Immunization') {
      if (r.status !== 'completed') continue;
      codes = r.vaccineCode.coding ?? [];
      date = r.occurrenceDateTime;
    }
    if (date) for (const c of codes) out.push({ coding: c, date });
  }
  return out;
}
