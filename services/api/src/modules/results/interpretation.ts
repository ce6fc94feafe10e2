import type { Range } from './analytes';

/** HL7 v3 ObservationInterpretation codes we compute. */
export type Interpretation = 'N' | 'H' | 'L' | 'HH' | 'LL';
export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const DISPLAY: Record<Interpretation, string> = {
  N: 'Normal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
};

/**
 * Pure: interpretation of a numeric result. Critical limits win (values strictly beyond them are HH/LL), then
 * the reference range (strictly above high is H, strictly below low is L); a bound that is absent never fires.
 */
export function interpret(value: number, range: Range, critical: { low?: number; high?: number } = {}): Interpretation {
  if (critical.high !== undefined && value > critical.high) return 'HH';
  if (critical.low !== undefined && value < critical.low) return 'LL';
  if (range.high !== undefined && value > range.high) return 'H';
  if (range.low !== undefined && value < range.low) return 'L';
  return 'N';
}

export function isCritical(i: Interpretation | undefined): boolean {
  return i === 'HH' || i === 'LL';
}

export function interpretationConcept(i: Interpretation): fhir4.CodeableConcept {
  return { coding: [{ system: INTERPRETATION_SYSTEM, code: i, display: DISPLAY[i] }], text: DISPLAY[i] };
}

/** The interpretation code of an Observation, if it carries one of ours. */
export function interpretationOf(o: fhir4.Observation): Interpretation | undefined {
  const code = o.interpretation?.flatMap((c) => c.coding ?? []).find((c) => c.system === INTERPRETATION_SYSTEM)?.code;
  return code && code in DISPLAY ? (code as Interpretation) : undefined;
}
