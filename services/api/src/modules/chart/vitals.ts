import type { z } from 'zod';
import type { SimpleVitalKind, VitalBody, VitalSetBody } from '@wintehr/contracts';
import { flagElements } from './vital-flags';

/**
 * Vital signs per the FHIR vital-signs profile: one LOINC code, UCUM units, and a plausible range per
 * measurement (values outside it are almost always entry errors: 400 naming the field).
 */
interface VitalDef {
  loinc: string;
  display: string;
  units: Record<string, { display: string; toCanonical: (v: number) => number }>;
  range: [number, number];
  canonical: string;
}

const same = (v: number) => v;
export const VITALS = {
  'heart-rate': {
    loinc: '8867-4',
    display: 'Heart rate',
    units: { '/min': { display: 'beats/minute', toCanonical: same } },
    range: [20, 300],
    canonical: '/min',
  },
  'respiratory-rate': {
    loinc: '9279-1',
    display: 'Respiratory rate',
    units: { '/min': { display: 'breaths/minute', toCanonical: same } },
    range: [4, 80],
    canonical: '/min',
  },
  'body-temperature': {
    loinc: '8310-5',
    display: 'Body temperature',
    units: {
      Cel: { display: 'C', toCanonical: same },
      '[degF]': { display: 'F', toCanonical: (f) => ((f - 32) * 5) / 9 },
    },
    range: [25, 45],
    canonical: 'Cel',
  },
  'oxygen-saturation': {
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    units: { '%': { display: '%', toCanonical: same } },
    range: [50, 100],
    canonical: '%',
  },
  'body-weight': {
    loinc: '29463-7',
    display: 'Body weight',
    units: {
      kg: { display: 'kg', toCanonical: same },
      '[lb_av]': { display: 'lb', toCanonical: (lb) => lb * 0.45359237 },
      g: { display: 'g', toCanonical: (g) => g / 1000 },
    },
    range: [0.3, 650],
    canonical: 'kg',
  },
  'body-height': {
    loinc: '8302-2',
    display: 'Body height',
    units: { cm: { display: 'cm', toCanonical: same }, '[in_i]': { display: 'in', toCanonical: (i) => i * 2.54 } },
    range: [20, 280],
    canonical: 'cm',
  },
  bmi: {
    loinc: '39156-5',
    display: 'Body mass index (BMI) [Ratio]',
    units: { 'kg/m2': { display: 'kg/m2', toCanonical: same } },
    range: [8, 150],
    canonical: 'kg/m2',
  },
} satisfies Record<SimpleVitalKind, VitalDef>;

export const BP = {
  panel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  range: { systolic: [40, 300], diastolic: [20, 200] },
} as const;
export const VITAL_LOINCS = [BP.panel, ...Object.values(VITALS).map((v) => v.loinc)];

/** A measurement as the request schema (the contract's VitalBody) hands it over. */
export type VitalInput = z.output<typeof VitalBody>;

export interface FieldProblem {
  field: string;
  message: string;
}

/** Unit and plausibility checks zod cannot express; [] when the measurement is acceptable. */
export function validateVital(v: VitalInput): FieldProblem[] {
  if (v.kind === 'blood-pressure') {
    const out: FieldProblem[] = [];
    const [sLo, sHi] = BP.range.systolic;
    const [dLo, dHi] = BP.range.diastolic;
    if (v.systolic < sLo || v.systolic > sHi)
      out.push({ field: 'body.systolic', message: `must be between ${sLo} and ${sHi} mm[Hg]` });
    if (v.diastolic < dLo || v.diastolic > dHi)
      out.push({ field: 'body.diastolic', message: `must be between ${dLo} and ${dHi} mm[Hg]` });
    if (!out.length && v.diastolic >= v.systolic)
      out.push({ field: 'body.diastolic', message: 'must be lower than the systolic pressure' });
    return out;
  }
  const def: VitalDef = VITALS[v.kind];
  const unit = def.units[v.unit];
  if (!unit)
    return [{ field: 'body.unit', message: `UCUM unit for ${v.kind}: one of ${Object.keys(def.units).join(', ')}` }];
  if (v.value < 0) return [{ field: 'body.value', message: 'cannot be negative' }];
  const c = unit.toCanonical(v.value);
  if (c < def.range[0] || c > def.range[1])
    return [
      {
        field: 'body.value',
        message: `implausible ${v.kind}: expected ${def.range[0]}–${def.range[1]} ${def.canonical}`,
      },
    ];
  return [];
}

const VITAL_CATEGORY: fhir4.CodeableConcept = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/observation-category',
      code: 'vital-signs',
      display: 'Vital Signs',
    },
  ],
};
const UCUM = 'http://unitsofmeasure.org';

/** The Observation (vital-signs profile) for a validated measurement. */
export function toVitalObservation(
  v: VitalInput,
  patientId: string,
  performer?: string,
  now = new Date(),
): fhir4.Observation {
  const base: fhir4.Observation = {
    resourceType: 'Observation',
    meta: { profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] },
    status: 'final',
    category: [VITAL_CATEGORY],
    code: { coding: [] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: v.effectiveDateTime ?? now.toISOString(),
    ...(v.encounterId ? { encounter: { reference: `Encounter/${v.encounterId}` } } : {}),
    ...(performer ? { performer: [{ reference: performer }] } : {}),
    ...(v.note ? { note: [{ text: v.note }] } : {}),
  };
  if (v.kind === 'blood-pressure') {
    const q = (value: number): fhir4.Quantity => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
    return {
      ...base,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] },
      code: {
        coding: [
          { system: 'http://loinc.org', code: BP.panel, display: 'Blood pressure panel with all children optional' },
        ],
        text: 'Blood pressure',
      },
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: BP.systolic, display: 'Systolic blood pressure' }] },
          valueQuantity: q(v.systolic),
          ...flagElements('systolic', v.systolic),
        },
        {
          code: { coding: [{ system: 'http://loinc.org', code: BP.diastolic, display: 'Diastolic blood pressure' }] },
          valueQuantity: q(v.diastolic),
          ...flagElements('diastolic', v.diastolic),
        },
      ],
    };
  }
  const def: VitalDef = VITALS[v.kind];
  return {
    ...base,
    code: { coding: [{ system: 'http://loinc.org', code: def.loinc, display: def.display }], text: def.display },
    valueQuantity: { value: v.value, unit: def.units[v.unit]!.display, system: UCUM, code: v.unit },
    ...flagElements(v.kind, def.units[v.unit]!.toCanonical(v.value)),
  };
}

/** A vital set as the request schema hands it over. */
export type VitalSetInput = z.output<typeof VitalSetBody>;
type Measurement = VitalSetInput['measurements'][number];

/** Each measurement's problems, named by its place in the set; a kind measured twice is refused too. */
export function validateVitalSet(set: VitalSetInput): FieldProblem[] {
  const seen = new Set<string>();
  return set.measurements.flatMap((m, i) => {
    const at = `body.measurements.${i}`;
    if (seen.has(m.kind)) return [{ field: `${at}.kind`, message: `${m.kind} appears twice in the set` }];
    seen.add(m.kind);
    return validateVital(m as VitalInput).map((p) => ({ ...p, field: p.field.replace(/^body/, at) }));
  });
}

const canonicalOf = (m: Measurement, kind: 'body-weight' | 'body-height') => {
  const def: VitalDef = VITALS[kind];
  return m.kind === kind ? def.units[m.unit]?.toCanonical(m.value) : undefined;
};

/** BMI (kg/m², one decimal) from the set's weight and height, unless the set gives one itself. */
export function computedBmi(set: VitalSetInput): number | undefined {
  if (set.measurements.some((m) => m.kind === 'bmi')) return undefined;
  const kg = set.measurements.map((m) => canonicalOf(m, 'body-weight')).find((x) => x !== undefined);
  const cm = set.measurements.map((m) => canonicalOf(m, 'body-height')).find((x) => x !== undefined);
  if (kg === undefined || cm === undefined) return undefined;
  return Math.round((kg / (cm / 100) ** 2) * 10) / 10;
}

/** The Observations of a validated set: one per measurement (BP as one panel) plus the computed BMI. */
export function toVitalSetObservations(
  set: VitalSetInput,
  patientId: string,
  performer?: string,
  now = new Date(),
): fhir4.Observation[] {
  const common = {
    effectiveDateTime: set.effectiveDateTime ?? now.toISOString(),
    ...(set.encounterId ? { encounterId: set.encounterId } : {}),
    ...(set.note ? { note: set.note } : {}),
  };
  const bmi = computedBmi(set);
  const all: VitalInput[] = [
    ...set.measurements.map((m) => ({ ...m, ...common }) as VitalInput),
    ...(bmi !== undefined ? [{ kind: 'bmi', value: bmi, unit: 'kg/m2', ...common } as VitalInput] : []),
  ];
  return all.map((v) => toVitalObservation(v, patientId, performer, now));
}
