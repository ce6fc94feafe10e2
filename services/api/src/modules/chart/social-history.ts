import { SMOKING_STATUSES, type SocialHistoryBody, type SocialHistoryKind } from '@wintehr/contracts';
import type { z } from 'zod';

/**
 * Social history as Observations (category social-history): smoking status (LOINC 72166-2, US Core's SNOMED
 * answers), alcohol use (AUDIT-C 72109-2 and/or drinks per day 74013-4, as components of one observation) and
 * substance use (LOINC 11343-1 with a SNOMED finding). Pure mapping both ways.
 */
export type SocialInput = z.output<typeof SocialHistoryBody>;

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
export const SOCIAL_CODES: Record<SocialHistoryKind, { code: string; display: string }> = {
  smoking: { code: '72166-2', display: 'Tobacco smoking status' },
  alcohol: { code: '72109-2', display: 'Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]' },
  'substance-use': { code: '11343-1', display: 'History of Other nonmedical drug use' },
};
const AUDIT_C_TOTAL = { code: '75626-2', display: 'Total score [AUDIT-C]' };
const DRINKS_PER_DAY = { code: '74013-4', display: 'Alcoholic drinks per day' };
const SUBSTANCE: Record<string, { code: string; display: string }> = {
  never: { code: '228367002', display: 'Does not misuse drugs' },
  former: { code: '44870007', display: 'Ex-drug misuser' },
  current: { code: '417284009', display: 'Current drug user' },
};

export const SOCIAL_CATEGORY: fhir4.CodeableConcept = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/observation-category',
      code: 'social-history',
      display: 'Social History',
    },
  ],
};

export function kindOf(o: fhir4.Observation): SocialHistoryKind | undefined {
  const code = o.code.coding?.find((c) => c.system === LOINC)?.code;
  return (Object.keys(SOCIAL_CODES) as SocialHistoryKind[]).find((k) => SOCIAL_CODES[k].code === code);
}

/** The Observation's value elements for an entry (everything but subject, time and bookkeeping). */
export function socialValue(b: SocialInput): Pick<fhir4.Observation, 'valueCodeableConcept' | 'component' | 'code'> {
  const code = { coding: [{ system: LOINC, ...SOCIAL_CODES[b.kind] }], text: SOCIAL_CODES[b.kind].display };
  if (b.kind === 'smoking')
    return { code, valueCodeableConcept: { coding: [{ system: SCT, ...SMOKING_STATUSES[b.status] }] } };
  if (b.kind === 'substance-use')
    return {
      code,
      valueCodeableConcept: {
        coding: [{ system: SCT, ...SUBSTANCE[b.status]! }],
        ...(b.substance ? { text: `${SUBSTANCE[b.status]!.display}: ${b.substance}` } : {}),
      },
    };
  return {
    code,
    component: [
      ...(b.auditC !== undefined
        ? [{ code: { coding: [{ system: LOINC, ...AUDIT_C_TOTAL }] }, valueInteger: b.auditC }]
        : []),
      ...(b.drinksPerDay !== undefined
        ? [
            {
              code: { coding: [{ system: LOINC, ...DRINKS_PER_DAY }] },
              valueQuantity: {
                value: b.drinksPerDay,
                unit: 'drinks/day',
                system: 'http://unitsofmeasure.org',
                code: '/d',
              },
            },
          ]
        : []),
    ],
  };
}

export function toSocialObservation(b: SocialInput, patientId: string, performer?: string, now = new Date()) {
  const o: fhir4.Observation = {
    resourceType: 'Observation',
    status: 'final',
    category: [SOCIAL_CATEGORY],
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: b.effectiveDateTime ?? now.toISOString(),
    ...socialValue(b),
    ...(performer ? { performer: [{ reference: performer }] } : {}),
    ...(b.note ? { note: [{ text: b.note }] } : {}),
  };
  return o;
}
