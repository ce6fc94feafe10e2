import { z } from 'zod';

/**
 * Structured dosage for prescriptions: the input schema (what a prescriber sends) and the pure mapping to a
 * FHIR Dosage. Units are UCUM, routes SNOMED CT, timing frequency/period; free text is only a supplement.
 */

export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';

/** Dose units we accept, keyed by their UCUM code (annotations in braces are valid UCUM). */
export const DOSE_UNITS: Readonly<Record<string, string>> = {
  mg: 'mg', g: 'g', ug: 'mcg', ng: 'ng', mL: 'mL', L: 'L', meq: 'mEq', mmol: 'mmol',
  '[iU]': 'IU', '[IU]': 'IU', U: 'unit', 'mg/kg': 'mg/kg', 'ug/kg': 'mcg/kg', '[drp]': 'drop',
  '{tablet}': 'tablet', '{capsule}': 'capsule', '{puff}': 'puff', '{patch}': 'patch', '{spray}': 'spray',
  '{suppository}': 'suppository', '{application}': 'application', '{vial}': 'vial',
};
/** Common spellings prescribers type, mapped to the UCUM code. */
const UNIT_ALIASES: Readonly<Record<string, string>> = {
  mcg: 'ug', 'µg': 'ug', ml: 'mL', l: 'L', meq: 'meq', iu: '[iU]', unit: 'U', units: 'U',
  tablet: '{tablet}', tablets: '{tablet}', tab: '{tablet}', capsule: '{capsule}', capsules: '{capsule}', cap: '{capsule}',
  puff: '{puff}', puffs: '{puff}', patch: '{patch}', spray: '{spray}', sprays: '{spray}', drop: '[drp]', drops: '[drp]',
};

/** SNOMED CT route of administration (Route of administration value set). */
export const ROUTES: Readonly<Record<string, { code: string; display: string }>> = {
  oral: { code: '26643006', display: 'Oral route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
  intravenous: { code: '47625008', display: 'Intravenous route' },
  intramuscular: { code: '78421000', display: 'Intramuscular route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  topical: { code: '6064005', display: 'Topical route' },
  transdermal: { code: '45890007', display: 'Transdermal route' },
  inhalation: { code: '18679011', display: 'Inhalation route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
};
const ROUTE_BY_CODE = new Map(Object.entries(ROUTES).map(([, v]) => [v.code, v]));

export function normaliseUnit(unit: string): string | undefined {
  const u = unit.trim();
  if (DOSE_UNITS[u]) return u;
  const alias = UNIT_ALIASES[u.toLowerCase()];
  return alias ?? Object.keys(DOSE_UNITS).find((k) => k.toLowerCase() === u.toLowerCase());
}

export function routeOf(route: string): { code: string; display: string } | undefined {
  return ROUTES[route.trim().toLowerCase()] ?? ROUTE_BY_CODE.get(route.trim());
}

export const DosageInput = z.object({
  dose: z.object({
    value: z.number().positive('dose must be greater than 0').max(100_000),
    unit: z.string().trim().min(1).max(30).refine((u) => normaliseUnit(u) !== undefined, 'not a supported UCUM dose unit (e.g. mg, mL, ug, {tablet})'),
  }).strict(),
  route: z.string().trim().min(1).max(40).refine((r) => routeOf(r) !== undefined, 'unknown route: use a name (oral, intravenous ...) or a SNOMED CT route code'),
  /** Administrations per period, e.g. 2 per 1 d = twice daily. */
  frequency: z.number().int().min(1).max(48),
  period: z.number().positive().max(365),
  periodUnit: z.enum(['h', 'd', 'wk', 'mo']),
  asNeeded: z.boolean().default(false),
  asNeededReason: z.string().trim().min(2).max(200).optional(),
  maxDosePerDay: z.object({ value: z.number().positive().max(100_000), unit: z.string().trim().min(1).max(30) }).strict().optional(),
  text: z.string().trim().max(500).optional(),
  patientInstruction: z.string().trim().max(500).optional(),
}).strict().refine((d) => d.asNeeded || !d.asNeededReason, { message: 'asNeededReason needs asNeeded: true', path: ['asNeededReason'] })
  .refine((d) => !d.maxDosePerDay || normaliseUnit(d.maxDosePerDay.unit) !== undefined, { message: 'not a supported UCUM unit', path: ['maxDosePerDay', 'unit'] });
export type DosageInput = z.infer<typeof DosageInput>;

const PERIOD_WORD: Record<DosageInput['periodUnit'], string> = { h: 'hour', d: 'day', wk: 'week', mo: 'month' };

/** A readable sig for Dosage.text when the prescriber sent none: "10 mg oral, 2 times per 1 day". */
export function sigText(d: DosageInput): string {
  const unit = DOSE_UNITS[normaliseUnit(d.dose.unit)!]!;
  const route = routeOf(d.route)!.display.replace(/ route$/, '').toLowerCase();
  const every = d.frequency === 1 ? `every ${d.period === 1 ? '' : `${d.period} `}${PERIOD_WORD[d.periodUnit]}${d.period === 1 ? '' : 's'}`
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
    dosage.maxDosePerPeriod = { numerator: { value: d.maxDosePerDay.value, unit: DOSE_UNITS[mu], system: UCUM, code: mu }, denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' } };
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
    return { field: 'body.dosage.maxDosePerDay', message: `scheduled ${daily} ${d.dose.unit}/day exceeds the stated maximum of ${d.maxDosePerDay.value}` };
  }
  return undefined;
}
