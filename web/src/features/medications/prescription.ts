/**
 * The prescribe form (pure): choices offered, defaults from the product name, validation, the request body of
 * POST /api/patients/:id/medications (the contract's PrescribeBody) and the draft
 * MedicationRequest the CDS services screen before anything is written.
 */
import {
  DOSE_UNITS as UNIT_LABELS,
  ROUTES as ROUTE_CODES,
  type DrugSearchHit,
  type PrescribeRequest,
} from '@wintehr/contracts';
import { RXNORM } from '@wintehr/contracts';

export interface DrugChoice {
  rxcui: string;
  name: string;
  tty?: DrugSearchHit['tty'];
}
export interface PharmacyChoice {
  organizationId: string;
  name: string;
  ncpdpId?: string;
  epcs?: boolean;
}

/** The dose units the form offers (UCUM codes the API accepts), with the word a prescriber reads. */
export const DOSE_UNITS = [
  '{tablet}',
  '{capsule}',
  'mg',
  'ug',
  'g',
  'mL',
  '[iU]',
  'U',
  '{puff}',
  '[drp]',
  '{patch}',
  '{spray}',
  '{application}',
  '{suppository}',
].map((code) => ({ code, label: UNIT_LABELS[code] ?? code }));

/** Routes by name, as the API accepts them. */
export const ROUTES = Object.keys(ROUTE_CODES);

export const FREQUENCIES = [
  { id: 'QD', label: 'Once daily', frequency: 1, period: 1, periodUnit: 'd' },
  { id: 'BID', label: 'Twice daily', frequency: 2, period: 1, periodUnit: 'd' },
  { id: 'TID', label: 'Three times daily', frequency: 3, period: 1, periodUnit: 'd' },
  { id: 'QID', label: 'Four times daily', frequency: 4, period: 1, periodUnit: 'd' },
  { id: 'Q4H', label: 'Every 4 hours', frequency: 1, period: 4, periodUnit: 'h' },
  { id: 'Q6H', label: 'Every 6 hours', frequency: 1, period: 6, periodUnit: 'h' },
  { id: 'Q8H', label: 'Every 8 hours', frequency: 1, period: 8, periodUnit: 'h' },
  { id: 'Q12H', label: 'Every 12 hours', frequency: 1, period: 12, periodUnit: 'h' },
  { id: 'QW', label: 'Once weekly', frequency: 1, period: 1, periodUnit: 'wk' },
] as const;
export type FrequencyId = (typeof FREQUENCIES)[number]['id'];

const UCUM = 'http://unitsofmeasure.org';

export interface PrescriptionForm {
  drug?: DrugChoice;
  doseValue: string;
  doseUnit: string;
  route: string;
  frequencyId: FrequencyId;
  asNeeded: boolean;
  asNeededReason: string;
  durationDays: string;
  quantity: string;
  quantityUnit: string;
  /** True once the prescriber typed a quantity: it is no longer computed from dose × frequency × duration. */
  quantityTouched: boolean;
  refills: string;
  daysSupply: string;
  pharmacy?: PharmacyChoice;
  substitutionAllowed: boolean;
  instructions: string;
  note: string;
}

export const EMPTY_FORM: PrescriptionForm = {
  doseValue: '',
  doseUnit: '{tablet}',
  route: 'oral',
  frequencyId: 'QD',
  asNeeded: false,
  asNeededReason: '',
  durationDays: '',
  quantity: '',
  quantityUnit: '{tablet}',
  quantityTouched: false,
  refills: '0',
  daysSupply: '30',
  substitutionAllowed: true,
  instructions: '',
  note: '',
};

/** Unit and route a product's name implies ("… Oral Tablet" → tablet, oral); undefined parts stay as they are. */
export function defaultsForDrug(name: string): { unit?: string; route?: string } {
  const n = name.toLowerCase();
  const route = /\boral\b/.test(n)
    ? 'oral'
    : /sublingual/.test(n)
      ? 'sublingual'
      : /inhal/.test(n)
        ? 'inhalation'
        : /ophthalmic/.test(n)
          ? 'ophthalmic'
          : /otic/.test(n)
            ? 'otic'
            : /nasal/.test(n)
              ? 'nasal'
              : /transdermal/.test(n)
                ? 'transdermal'
                : /topical/.test(n)
                  ? 'topical'
                  : /rectal/.test(n)
                    ? 'rectal'
                    : /vaginal/.test(n)
                      ? 'vaginal'
                      : /(injectable|injection|prefilled syringe|auto-injector)/.test(n)
                        ? 'subcutaneous'
                        : undefined;
  const unit = /\btablet\b/.test(n)
    ? '{tablet}'
    : /\bcapsule\b/.test(n)
      ? '{capsule}'
      : /(solution|suspension|syrup|elixir|injectable)/.test(n)
        ? 'mL'
        : /(inhaler|inhalant|aerosol)/.test(n)
          ? '{puff}'
          : /\bpatch\b|transdermal system/.test(n)
            ? '{patch}'
            : /\bspray\b/.test(n)
              ? '{spray}'
              : /(drops|ophthalmic|otic)/.test(n)
                ? '[drp]'
                : /suppository/.test(n)
                  ? '{suppository}'
                  : /(cream|ointment|gel|lotion)/.test(n)
                    ? '{application}'
                    : undefined;
  return { ...(unit ? { unit } : {}), ...(route ? { route } : {}) };
}

/** The form after choosing a drug: its implied unit and route, a cleared dose (a dose belongs to one product). */
export function withDrug(form: PrescriptionForm, drug: DrugChoice | undefined): PrescriptionForm {
  if (!drug) return { ...form, drug: undefined };
  const d = defaultsForDrug(drug.name);
  return {
    ...form,
    drug,
    doseValue: '',
    doseUnit: d.unit ?? form.doseUnit,
    route: d.route ?? form.route,
    quantityUnit: d.unit ?? form.quantityUnit,
    ...(form.quantityTouched ? {} : { quantity: '' }),
  };
}

const frequencyOf = (id: string) => FREQUENCIES.find((f) => f.id === id) ?? FREQUENCIES[0];

export function dosesPerDay(id: string): number {
  const f = frequencyOf(id);
  return f.frequency / ({ h: 1 / 24, d: 1, wk: 7 }[f.periodUnit] * f.period);
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

/**
 * Quantity for the duration when dose and dispense are in the same unit (tablets for tablets): dose × doses per day ×
 * days, rounded up. Undefined when it cannot be computed (PRN, different units, missing numbers).
 */
export function computedQuantity(form: PrescriptionForm): number | undefined {
  const dose = num(form.doseValue);
  const days = num(form.durationDays);
  if (form.asNeeded || form.doseUnit !== form.quantityUnit || !(dose > 0) || !(days > 0)) return undefined;
  return Math.ceil(dose * dosesPerDay(form.frequencyId) * days - 1e-9);
}

/** Keeps quantity and days supply in step with dose, frequency and duration until the prescriber types a quantity. */
export function withComputedQuantity(form: PrescriptionForm): PrescriptionForm {
  const days = num(form.durationDays);
  const next = Number.isInteger(days) && days >= 1 && days <= 365 ? { ...form, daysSupply: String(days) } : form;
  if (form.quantityTouched) return next;
  const q = computedQuantity(form);
  return q === undefined ? next : { ...next, quantity: String(q) };
}

const unitLabel = (code: string) => DOSE_UNITS.find((u) => u.code === code)?.label ?? code;

/** The sig: "1 tablet oral, twice daily, as needed for pain, for 10 days". */
export function sigText(form: PrescriptionForm): string {
  const dose = num(form.doseValue);
  const unit = unitLabel(form.doseUnit);
  return [
    `${form.doseValue.trim()} ${unit}${dose > 1 && !/^(mg|mcg|g|mL|IU)$/.test(unit) ? 's' : ''} ${form.route}`,
    frequencyOf(form.frequencyId).label.toLowerCase(),
    ...(form.asNeeded ? [`as needed${form.asNeededReason.trim() ? ` for ${form.asNeededReason.trim()}` : ''}`] : []),
    ...(num(form.durationDays) > 0 ? [`for ${num(form.durationDays)} days`] : []),
  ].join(', ');
}

export type FormErrors = Partial<
  Record<'drug' | 'doseValue' | 'asNeededReason' | 'durationDays' | 'quantity' | 'refills' | 'daysSupply', string>
>;

export function validateForm(form: PrescriptionForm): FormErrors {
  const e: FormErrors = {};
  if (!form.drug) e.drug = 'Choose a drug';
  const dose = num(form.doseValue);
  if (!(dose > 0) || dose > 100_000) e.doseValue = 'Enter a dose greater than 0';
  if (form.asNeeded && form.asNeededReason.trim() && form.asNeededReason.trim().length < 2)
    e.asNeededReason = 'At least 2 characters';
  const duration = num(form.durationDays);
  if (form.durationDays.trim() && !(Number.isInteger(duration) && duration >= 1 && duration <= 365))
    e.durationDays = '1 to 365 days';
  const qty = num(form.quantity);
  if (!(qty > 0) || qty > 10_000) e.quantity = 'Enter a quantity greater than 0';
  const refills = num(form.refills);
  if (!(Number.isInteger(refills) && refills >= 0 && refills <= 11)) e.refills = '0 to 11 refills';
  const days = num(form.daysSupply);
  if (!(Number.isInteger(days) && days >= 1 && days <= 365)) e.daysSupply = '1 to 365 days';
  return e;
}

/** The request body for a valid form (call validateForm first). */
export function toPrescribeBody(form: PrescriptionForm, override?: PrescribeRequest['override']): PrescribeRequest {
  const f = frequencyOf(form.frequencyId);
  const reason = form.asNeededReason.trim();
  return {
    medication: { system: RXNORM, code: form.drug!.rxcui, display: form.drug!.name },
    dosage: {
      dose: { value: Number(form.doseValue), unit: form.doseUnit },
      route: form.route,
      frequency: f.frequency,
      period: f.period,
      periodUnit: f.periodUnit,
      asNeeded: form.asNeeded,
      ...(form.asNeeded && reason ? { asNeededReason: reason } : {}),
      text: sigText(form),
      ...(form.instructions.trim() ? { patientInstruction: form.instructions.trim() } : {}),
    },
    dispense: {
      quantity: { value: Number(form.quantity), unit: form.quantityUnit },
      numberOfRepeatsAllowed: Number(form.refills),
      expectedSupplyDays: Number(form.daysSupply),
      ...(form.pharmacy ? { pharmacyId: form.pharmacy.organizationId } : {}),
      substitutionAllowed: form.substitutionAllowed,
    },
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
    ...(override ? { override } : {}),
  };
}

/**
 * The draft MedicationRequest the CDS services screen: the product always, dosage and dispense once they are
 * filled in. No authoredOn: a draft is not authored yet, and leaving it out keeps the draft stable between checks.
 */
export function draftMedicationRequest(
  form: PrescriptionForm,
  o: { id: string; patientId: string; requester?: string },
): fhir4.MedicationRequest | undefined {
  if (!form.drug) return undefined;
  const mr: fhir4.MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: o.id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: form.drug.rxcui, display: form.drug.name }],
      text: form.drug.name,
    },
    subject: { reference: `Patient/${o.patientId}` },
    ...(o.requester ? { requester: { reference: o.requester } } : {}),
  };
  const dose = num(form.doseValue);
  if (dose > 0) {
    const f = frequencyOf(form.frequencyId);
    const route = ROUTE_CODES[form.route];
    mr.dosageInstruction = [
      {
        text: sigText(form),
        timing: { repeat: { frequency: f.frequency, period: f.period, periodUnit: f.periodUnit } },
        ...(route ? { route: { coding: [{ system: 'http://snomed.info/sct', ...route }] } } : {}),
        doseAndRate: [
          { doseQuantity: { value: dose, unit: unitLabel(form.doseUnit), system: UCUM, code: form.doseUnit } },
        ],
        ...(form.asNeeded
          ? form.asNeededReason.trim()
            ? { asNeededCodeableConcept: { text: form.asNeededReason.trim() } }
            : { asNeededBoolean: true }
          : {}),
      },
    ];
  }
  const qty = num(form.quantity);
  const days = num(form.daysSupply);
  if (qty > 0) {
    mr.dispenseRequest = {
      quantity: { value: qty, unit: unitLabel(form.quantityUnit), system: UCUM, code: form.quantityUnit },
      numberOfRepeatsAllowed: Number(form.refills) || 0,
      ...(days > 0 ? { expectedSupplyDuration: { value: days, unit: 'days', system: UCUM, code: 'd' } } : {}),
      ...(form.pharmacy ? { performer: { reference: `Organization/${form.pharmacy.organizationId}` } } : {}),
    };
  }
  return mr;
}

/** The drug a suggested draft names (replace suggestions), as a choice for the form. */
export function drugOfDraft(mr: fhir4.MedicationRequest): DrugChoice | undefined {
  const c = mr.medicationCodeableConcept?.coding?.find((x) => x.system === RXNORM && x.code);
  return c?.code
    ? { rxcui: c.code, name: c.display ?? mr.medicationCodeableConcept?.text ?? `RxNorm ${c.code}` }
    : undefined;
}
