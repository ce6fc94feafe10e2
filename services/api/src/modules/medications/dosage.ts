import { DOSE_UNITS, normaliseUnit, routeOf, type DosageInput } from '@wintehr/contracts';

/**
 * Structured dosage for prescriptions: the pure mapping of the prescriber's input to a FHIR Dosage. Units are UCUM,
 * routes SNOMED CT, timing frequency/period; free text is only a supplement. The input schema and the unit and
 * route vocabularies it checks are wire contract, so they live in @wintehr/contracts.
 */

export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';

const PERIOD_WORD: Record<DosageInput['periodUnit'], string> = { h: 'hour', d: 'day', wk: 'week', mo: 'month' };

/** A readable sig for Dosage.text when the prescriber sent none: "10 mg oral, 2 times per 1 day". */
export function sigText(d: DosageInput): string {
  const unit = DOSE_UNITS[normaliseUnit(d.dose.unit)!]!;
  const route = routeOf(d.route)!
    .display.replace(/ route$/, '')
    .toLowerCase();
  const every =
    d.frequency === 1
      ? `every ${d.period === 1 ? '' : `${d.period} `}${PERIOD_WORD[d.periodUnit]}${d.period === 1 ? '' : 's'}`
      : `${d.frequency} times per ${d.period === 1 ? '' : `${d.period} `}${PERIOD_WORD[d.periodUnit]}${d.period === 1 ? '' : 's'}`;
  return `${d.dose.value} ${unit} ${route}, ${every}${d.asNeeded ? `, as needed${d.asNeededReason ? ` for ${d.asNeededReason}` : ''}` : ''}`;
}

/** Pure mapping to FHIR R4 Dosage. */
export function toFhirDosage(d: DosageInput): fhir4.Dosage {
  const unit = normaliseUnit(d.dose.unit)!;
  const route = routeOf(d.route)!;
  const dosage: fhir4.Dosage = {
    sequence: 1,
    text: d.text ?? sigText(d),
    timing: { repeat: { frequency: d.frequency, period: d.period, periodUnit: d.periodUnit } },
    route: { coding: [{ system: SNOMED, code: route.code, display: route.display }] },
    doseAndRate: [{ doseQuantity: { value: d.dose.value, unit: DOSE_UNITS[unit], system: UCUM, code: unit } }],
  };
  if (d.patientInstruction) dosage.patientInstruction = d.patientInstruction;
  if (d.asNeeded) {
    if (d.asNeededReason) dosage.asNeededCodeableConcept = { text: d.asNeededReason };
    else dosage.asNeededBoolean = true;
  }
  if (d.maxDosePerDay) {
    const mu = normaliseUnit(d.maxDosePerDay.unit)!;
    dosage.maxDosePerPeriod = {
      numerator: { value: d.maxDosePerDay.value, unit: DOSE_UNITS[mu], system: UCUM, code: mu },
      denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' },
    };
  }
  return dosage;
}

/** Administrations per day, for checks that compare daily exposure (max dose, days supply). */
export function dosesPerDay(d: Pick<DosageInput, 'frequency' | 'period' | 'periodUnit'>): number {
  const days = { h: 1 / 24, d: 1, wk: 7, mo: 30 }[d.periodUnit] * d.period;
  return d.frequency / days;
}

/**
 * Cross-field check: when a max daily dose is given in the dose's unit, the scheduled dose must not exceed it.
 * Returns the field problem or undefined.
 */
export function dailyDoseProblem(d: DosageInput): { field: string; message: string } | undefined {
  if (!d.maxDosePerDay || d.asNeeded) return undefined;
  if (normaliseUnit(d.maxDosePerDay.unit) !== normaliseUnit(d.dose.unit)) return undefined;
  const daily = d.dose.value * dosesPerDay(d);
  if (daily > d.maxDosePerDay.value + 1e-9) {
    return {
      field: 'body.dosage.maxDosePerDay',
      message: `scheduled ${daily} ${d.dose.unit}/day exceeds the stated maximum of ${d.maxDosePerDay.value}`,
    };
  }
  return undefined;
}
