import type { VitalFlag } from '@wintehr/contracts';
import { interpret, interpretationConcept } from '../results/interpretation';

/**
 * Adult default reference ranges for vital signs, in the canonical unit of vitals.ts. `normal` is the reference
 * range written on the Observation; outside it is L/H, beyond `critical` LL/HH (values a nurse escalates).
 * Weight and height have no population range, so they carry no flag.
 */
export interface VitalRange {
  normal: [number, number];
  critical: [number, number];
  unit: string;
}

export const VITAL_RANGES: Record<string, VitalRange> = {
  systolic: { normal: [90, 139], critical: [70, 179], unit: 'mm[Hg]' },
  diastolic: { normal: [60, 89], critical: [40, 119], unit: 'mm[Hg]' },
  'heart-rate': { normal: [60, 100], critical: [40, 130], unit: '/min' },
  'respiratory-rate': { normal: [12, 20], critical: [8, 30], unit: '/min' },
  'body-temperature': { normal: [36.1, 37.9], critical: [35, 39.9], unit: 'Cel' },
  'oxygen-saturation': { normal: [95, 100], critical: [90, 100], unit: '%' },
  bmi: { normal: [18.5, 24.9], critical: [16, 39.9], unit: 'kg/m2' },
};

/** The flag of a value in the canonical unit (the results' interpretation rule), or undefined without a range. */
export function vitalFlag(kind: string, canonicalValue: number): VitalFlag | undefined {
  const r = VITAL_RANGES[kind];
  if (!r) return undefined;
  return interpret(
    canonicalValue,
    { low: r.normal[0], high: r.normal[1] },
    { low: r.critical[0], high: r.critical[1] },
  );
}

/** The interpretation and reference range elements for an Observation (or component) holding this value. */
export function flagElements(
  kind: string,
  canonicalValue: number,
): Pick<fhir4.Observation, 'interpretation' | 'referenceRange'> {
  const flag = vitalFlag(kind, canonicalValue);
  const r = VITAL_RANGES[kind];
  if (!flag || !r) return {};
  const q = (value: number): fhir4.Quantity => ({ value, system: 'http://unitsofmeasure.org', code: r.unit });
  return {
    interpretation: [interpretationConcept(flag)],
    referenceRange: [{ low: q(r.normal[0]), high: q(r.normal[1]), text: 'adult default' }],
  };
}
