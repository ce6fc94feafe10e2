import type { AllergyRecordState, MarDose, VitalFlag, VitalSetBody } from '@wintehr/contracts';

/** Pure view logic of the chart upkeep tabs: flags, states and the vitals form. */

export const statusCode = (c: fhir4.CodeableConcept | undefined) => c?.coding?.[0]?.code;

export function flagOf(o: Pick<fhir4.Observation, 'interpretation'>): VitalFlag | undefined {
  const code = o.interpretation?.[0]?.coding?.[0]?.code;
  return code === 'N' || code === 'L' || code === 'H' || code === 'LL' || code === 'HH' ? code : undefined;
}

/** Critical values red, out-of-range amber, normal plain. */
export function flagColor(flag: VitalFlag | undefined): 'error' | 'warning' | 'default' {
  if (flag === 'LL' || flag === 'HH') return 'error';
  if (flag === 'L' || flag === 'H') return 'warning';
  return 'default';
}

export const FLAG_LABEL: Record<VitalFlag, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
};

export const ALLERGY_STATE_TEXT: Record<AllergyRecordState, string> = {
  'not-recorded': 'Allergies not recorded',
  'no-known-allergies': 'No known allergies',
  'has-allergies': 'Allergies on record',
};

/** A vital's value as read on the ward: "128/82 mmHg", "72 beats/minute". */
export function vitalValue(o: fhir4.Observation): string {
  if (o.valueQuantity)
    return `${o.valueQuantity.value ?? '—'} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim();
  if (o.component?.length)
    return `${o.component.map((c) => c.valueQuantity?.value ?? '—').join('/')} ${o.component[0]?.valueQuantity?.unit ?? ''}`.trim();
  return '—';
}

/** The worst flag of an observation or its components (BP: the systolic or the diastolic). */
export function worstFlag(o: fhir4.Observation): VitalFlag | undefined {
  const rank: VitalFlag[] = ['N', 'L', 'H', 'LL', 'HH'];
  const flags = [flagOf(o), ...(o.component ?? []).map(flagOf)].filter((f): f is VitalFlag => !!f);
  return flags.sort((a, b) => rank.indexOf(b) - rank.indexOf(a))[0];
}

export const VITAL_FIELDS = [
  { name: 'systolic', label: 'Systolic (mmHg)' },
  { name: 'diastolic', label: 'Diastolic (mmHg)' },
  { name: 'heartRate', label: 'Heart rate (/min)' },
  { name: 'respiratoryRate', label: 'Respiratory rate (/min)' },
  { name: 'temperature', label: 'Temperature (°C)' },
  { name: 'spo2', label: 'SpO₂ (%)' },
  { name: 'weight', label: 'Weight (kg)' },
  { name: 'height', label: 'Height (cm)' },
] as const;
export type VitalField = (typeof VITAL_FIELDS)[number]['name'];
export type VitalForm = Partial<Record<VitalField, string>>;

type Measurement = VitalSetBody['measurements'][number];
const SIMPLE: Array<[VitalField, Measurement['kind'], string]> = [
  ['heartRate', 'heart-rate', '/min'],
  ['respiratoryRate', 'respiratory-rate', '/min'],
  ['temperature', 'body-temperature', 'Cel'],
  ['spo2', 'oxygen-saturation', '%'],
  ['weight', 'body-weight', 'kg'],
  ['height', 'body-height', 'cm'],
];

/**
 * The form as a vital set: the measurements filled in, and for each one which form fields a server problem on
 * `body.measurements.N` belongs to. Problems the form can see itself (not a number, half a blood pressure) first.
 */
export function vitalSetFromForm(form: VitalForm): {
  body?: VitalSetBody;
  errors: Partial<Record<VitalField, string>>;
  fieldsOf: VitalField[][];
} {
  const errors: Partial<Record<VitalField, string>> = {};
  const num = (f: VitalField): number | undefined => {
    const raw = form[f]?.trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) errors[f] = 'a number';
    return Number.isFinite(n) ? n : undefined;
  };
  const measurements: Measurement[] = [];
  const fieldsOf: VitalField[][] = [];
  const sys = num('systolic');
  const dia = num('diastolic');
  if (sys !== undefined && dia !== undefined) {
    measurements.push({ kind: 'blood-pressure', systolic: sys, diastolic: dia });
    fieldsOf.push(['systolic', 'diastolic']);
  } else if (sys !== undefined || dia !== undefined) {
    errors[sys === undefined ? 'systolic' : 'diastolic'] = 'give both pressures';
  }
  for (const [field, kind, unit] of SIMPLE) {
    const v = num(field);
    if (v === undefined) continue;
    measurements.push({ kind, value: v, unit } as Measurement);
    fieldsOf.push([field]);
  }
  if (!measurements.length && !Object.keys(errors).length) errors.heartRate = 'enter at least one measurement';
  return Object.keys(errors).length ? { errors, fieldsOf } : { body: { measurements }, errors, fieldsOf };
}

/** Server field problems (body.measurements.N.value/.systolic/.diastolic) back onto the form's fields. */
export function formErrorsFromServer(
  problems: ReadonlyArray<{ field: string; message: string }>,
  fieldsOf: VitalField[][],
): Partial<Record<VitalField, string>> {
  const out: Partial<Record<VitalField, string>> = {};
  for (const p of problems) {
    const m = /^body\.measurements\.(\d+)\.(\w+)/.exec(p.field);
    const fields = m ? fieldsOf[Number(m[1])] : undefined;
    if (!fields) continue;
    const target = fields.length > 1 ? (m![2] === 'diastolic' ? 'diastolic' : 'systolic') : fields[0]!;
    out[target] = p.message;
  }
  return out;
}

/** How a MAR dose reads now: a due dose more than an hour past its time is late. */
export function doseLabel(
  d: MarDose,
  now = new Date(),
): { label: string; color: 'success' | 'error' | 'warning' | 'default' | 'info' } {
  if (d.state === 'given') return { label: 'Given', color: 'success' };
  if (d.state === 'not-given') return { label: 'Not given', color: 'error' };
  if (d.state === 'held') return { label: 'Held', color: 'warning' };
  const late = d.dueAt && Date.parse(d.dueAt) < now.getTime() - 3_600_000;
  return late ? { label: 'Late', color: 'warning' } : { label: 'Due', color: 'info' };
}
