/**
 * Turns drug-safety engine findings into CDS cards. Interruptive findings on a draft order offer to remove the
 * draft (delete action) and, where a safer alternative is known for that rule, to replace it (delete + create).
 */
import type { DrugRef, Finding, Severity } from '../drug-safety';
import { ALLERGY_OVERRIDE_REASONS, MEDICATION_OVERRIDE_REASONS, clampSummary, source } from './cards';
import type { CardDraft, CdsAction, Indicator } from './cds-types';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Safer alternatives for the drug on one side of a rule (only where the substitution is standard practice). */
export const ALTERNATIVES: readonly {
  ruleIds: readonly string[];
  side: 0 | 1;
  rxcui: string;
  display: string;
  why: string;
}[] = [
  {
    ruleIds: [
      'onc-11-statin-strong-cyp3a4',
      'simvastatin-moderate-cyp3a4',
      'simvastatin-gemfibrozil',
      'statin-strong-cyp3a4-other',
    ],
    side: 0,
    rxcui: '904475',
    display: 'pravastatin sodium 40 MG Oral Tablet',
    why: 'pravastatin is not metabolised by CYP3A4',
  },
  {
    ruleIds: ['anticoagulant-nsaid'],
    side: 1,
    rxcui: '313782',
    display: 'acetaminophen 325 MG Oral Tablet',
    why: 'acetaminophen has no antiplatelet effect',
  },
];

export function indicatorOf(severity: Severity, interruptive = true): Indicator {
  if ((severity === 'contraindicated' || severity === 'major') && interruptive) return 'critical';
  if (severity === 'contraindicated' || severity === 'major' || severity === 'moderate') return 'warning';
  return 'info';
}

/** The rule id a card is counted under in the feedback report. */
export function ruleIdOf(f: Finding): string {
  switch (f.kind) {
    case 'drug-drug':
      return `ddi:${f.ruleId}`;
    case 'drug-allergy':
      return `drug-allergy:${f.allergyClass?.id ?? 'ingredient'}:${f.matchType}`;
    case 'duplicate-therapy':
      return `duplicate-therapy:${f.basis}`;
    case 'drug-condition':
      return `drug-condition:${f.ruleId}`;
    case 'controlled-substance':
      return `controlled-substance:${f.schedule}`;
    case 'unable-to-screen':
      return `unable-to-screen:${f.subject}:${f.reason}`;
  }
}

function removeAction(d: DrugRef): CdsAction | undefined {
  return d.role === 'proposed' && d.ref?.startsWith('MedicationRequest/')
    ? { type: 'delete', description: `Remove the draft order for ${d.display}`, resourceId: d.ref }
    : undefined;
}

function alternativeResource(
  draft: fhir4.MedicationRequest,
  alt: { rxcui: string; display: string },
): fhir4.MedicationRequest {
  // Dose and quantity are deliberately not copied: they belong to the original drug.
  const {
    id: _id,
    meta: _meta,
    medicationReference: _ref,
    dosageInstruction: _dose,
    dispenseRequest: _disp,
    contained: _c,
    text: _t,
    ...rest
  } = draft;
  return {
    ...rest,
    status: 'draft',
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: alt.rxcui, display: alt.display }],
      text: alt.display,
    },
  };
}

function suggestionsFor(f: Finding, drafts: ReadonlyMap<string, fhir4.MedicationRequest>): CardDraft['suggestions'] {
  const involved: DrugRef[] =
    f.kind === 'drug-drug' || f.kind === 'duplicate-therapy'
      ? [...f.drugs]
      : f.kind === 'drug-allergy' || f.kind === 'drug-condition'
        ? [f.drug]
        : [];
  const out: NonNullable<CardDraft['suggestions']> = [];
  if (f.kind === 'drug-drug') {
    for (const alt of ALTERNATIVES) {
      if (!alt.ruleIds.includes(f.ruleId)) continue;
      const d = f.drugs[alt.side];
      const del = removeAction(d);
      const draft = d.ref ? drafts.get(d.ref) : undefined;
      if (!del || !draft) continue;
      out.push({
        label: `Replace ${d.display} with ${alt.display}`,
        isRecommended: true,
        actions: [
          del,
          {
            type: 'create',
            description: `Draft ${alt.display} instead (${alt.why}); set the dose`,
            resource: alternativeResource(draft, alt),
          },
        ],
      });
    }
  }
  for (const d of involved) {
    const del = removeAction(d);
    if (del && !out.some((s) => s.actions?.length === 1 && s.actions[0]!.resourceId === del.resourceId))
      out.push({ label: `Remove ${d.display}`, actions: [del] });
  }
  return out.length ? out : undefined;
}

function md(s: string): string {
  return s.replace(/([\\`*_[\]<>])/g, '\\$1');
}

/** One card per finding. */
export function findingCard(f: Finding, drafts: ReadonlyMap<string, fhir4.MedicationRequest>): CardDraft {
  const ruleId = ruleIdOf(f);
  const suggestions = suggestionsFor(f, drafts);
  const withSuggestions = suggestions ? { suggestions } : {};
  switch (f.kind) {
    case 'drug-drug': {
      const [a, b] = f.drugs;
      const indicator = indicatorOf(f.severity, f.interruptive);
      return {
        ruleId,
        indicator,
        summary: clampSummary(`${cap(f.severity)} interaction: ${f.ingredients[0].name} + ${f.ingredients[1].name}`),
        detail: [
          `**${md(a.display)}** (${a.role}) + **${md(b.display)}** (${b.role})`,
          '',
          `**Effect:** ${md(f.effect)}`,
          `**Mechanism:** ${md(f.mechanism)}`,
          `**Management:** ${md(f.management)}`,
          ...(f.notes?.length ? [`**Note:** ${md(f.notes.join(' '))}`] : []),
          '',
          `_Source: ${md(f.source)}_`,
        ].join('\n'),
        source: source(ruleId, `Drug-drug interaction ${f.ruleId}`),
        ...withSuggestions,
        ...(indicator !== 'info' ? { overrideReasons: MEDICATION_OVERRIDE_REASONS } : {}),
      };
    }
    case 'drug-allergy': {
      const indicator: Indicator =
        f.severity === 'contraindicated' || f.severity === 'major' || f.allergy.criticality === 'high'
          ? 'critical'
          : 'warning';
      return {
        ruleId,
        indicator,
        summary: clampSummary(`Allergy: ${f.drug.display} vs recorded ${f.allergy.display}`),
        detail: `${md(f.message)}\n\n**Match:** ${f.matchType}${f.allergyClass ? ` (${md(f.allergyClass.name)})` : ''}; verification: ${f.allergy.verificationStatus ?? 'not recorded'}; criticality: ${f.allergy.criticality ?? 'not recorded'}.${f.source ? `\n\n_Source: ${md(f.source)}_` : ''}`,
        source: source(ruleId, 'Drug-allergy conflict'),
        ...withSuggestions,
        overrideReasons: ALLERGY_OVERRIDE_REASONS,
      };
    }
    case 'duplicate-therapy':
      return {
        ruleId,
        indicator: indicatorOf(f.severity, false),
        summary: clampSummary(`Possible duplicate therapy: ${f.drugs[0].display} and ${f.drugs[1].display}`),
        detail: md(f.message),
        source: source(ruleId, 'Duplicate therapy'),
        ...withSuggestions,
        overrideReasons: MEDICATION_OVERRIDE_REASONS,
      };
    case 'drug-condition': {
      const indicator = indicatorOf(f.severity);
      return {
        ruleId,
        indicator,
        summary: clampSummary(`${cap(f.severity)}: ${f.ingredient.name} with ${f.evidence}`),
        detail: [
          `**${md(f.drug.display)}** (${f.drug.role})`,
          '',
          `**Patient:** ${md(f.evidence)}`,
          `**Effect:** ${md(f.effect)}`,
          `**Management:** ${md(f.management)}`,
          '',
          `_Source: ${md(f.source)}_`,
        ].join('\n'),
        source: source(ruleId, `Drug-condition rule ${f.ruleId}`),
        ...withSuggestions,
        ...(indicator !== 'info' ? { overrideReasons: MEDICATION_OVERRIDE_REASONS } : {}),
      };
    }
    case 'controlled-substance':
      return {
        ruleId,
        indicator: 'info',
        summary: clampSummary(`${f.drug.display}: DEA Schedule ${f.schedule}`),
        detail: md(f.message),
        source: source(ruleId, 'Controlled substance'),
      };
    case 'unable-to-screen':
      return {
        ruleId,
        indicator: 'warning',
        summary: clampSummary(
          `Not screened: ${f.drug?.display ?? f.allergy?.display ?? 'an item'} could not be checked`,
        ),
        detail: `${md(f.message)}\n\n**Reason:** ${f.reason}`,
        source: source(ruleId, 'Unable to screen'),
      };
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
