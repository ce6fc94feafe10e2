import type { DeaSchedule, Finding } from '../drug-safety';
import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import { DOSE_UNITS, normaliseUnit, RXNORM, type PrescribeBody } from '@wintehr/contracts';
import { UCUM, toFhirDosage } from './dosage';
import { overriddenRuleIds } from './safety-gate';
import { EXT_SAFETY_OVERRIDE } from '../drug-safety';

export const EXT_DEA_SCHEDULE = `${WINTEHR_EXT}/dea-schedule`;
export const EXT_REQUIRES_EPCS = `${WINTEHR_EXT}/requires-epcs`;
export const PRESCRIPTION_ID_SYSTEM = 'urn:wintehr:prescription';

export interface PrescriptionFacts {
  patientId: string;
  requester: fhir4.Reference;
  productName: string;
  schedule?: DeaSchedule;
  overridden: readonly Finding[];
  prescriptionId: string;
  now: Date;
}

/** Pure: the MedicationRequest for a validated prescription (RxNorm product, structured dosage, dispense). */
export function buildMedicationRequest(body: PrescribeBody, f: PrescriptionFacts): fhir4.MedicationRequest {
  const qtyUnit = normaliseUnit(body.dispense.quantity.unit);
  const notes: fhir4.Annotation[] = [];
  if (body.note) notes.push({ text: body.note, time: f.now.toISOString(), authorReference: f.requester });
  const extension: fhir4.Extension[] = [];
  if (f.schedule) {
    extension.push({ url: EXT_DEA_SCHEDULE, valueCode: f.schedule });
    // Electronic prescribing of controlled substances needs two-factor signing (a later step); flag it now.
    extension.push({ url: EXT_REQUIRES_EPCS, valueBoolean: true });
  }
  if (body.override && f.overridden.length) {
    extension.push({
      url: EXT_SAFETY_OVERRIDE,
      extension: [
        { url: 'reason', valueString: body.override.reason },
        ...f.overridden.map((x) => ({ url: 'finding', valueString: x.id })),
        ...overriddenRuleIds(f.overridden).map((r) => ({ url: 'rule', valueString: r })),
        { url: 'by', valueReference: f.requester },
        { url: 'at', valueDateTime: f.now.toISOString() },
      ],
    });
    notes.push({
      text: `Safety alert overridden (${f.overridden.map((x) => x.severity).join(', ')}): ${body.override.reason}`,
      time: f.now.toISOString(),
      authorReference: f.requester,
    });
  }
  const mr: fhir4.MedicationRequest = {
    resourceType: 'MedicationRequest',
    identifier: [{ system: PRESCRIPTION_ID_SYSTEM, value: f.prescriptionId }],
    status: 'active',
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
            code: 'outpatient',
            display: 'Outpatient',
          },
        ],
      },
    ],
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: body.medication.code, display: f.productName }],
      text: f.productName,
    },
    subject: { reference: `Patient/${f.patientId}` },
    authoredOn: f.now.toISOString(),
    requester: f.requester,
    dosageInstruction: [toFhirDosage(body.dosage)],
    dispenseRequest: {
      validityPeriod: { start: body.startDate ?? f.now.toISOString().slice(0, 10) },
      numberOfRepeatsAllowed: body.dispense.numberOfRepeatsAllowed,
      quantity: qtyUnit
        ? { value: body.dispense.quantity.value, unit: DOSE_UNITS[qtyUnit], system: UCUM, code: qtyUnit }
        : { value: body.dispense.quantity.value, unit: body.dispense.quantity.unit },
      expectedSupplyDuration: { value: body.dispense.expectedSupplyDays, unit: 'days', system: UCUM, code: 'd' },
      ...(body.dispense.pharmacyId ? { performer: { reference: `Organization/${body.dispense.pharmacyId}` } } : {}),
    },
    substitution: { allowedBoolean: body.dispense.substitutionAllowed },
  };
  if (body.encounterId) mr.encounter = { reference: `Encounter/${body.encounterId}` };
  if (body.reason)
    mr.reasonCode = [
      {
        ...(body.reason.coding ? { coding: body.reason.coding } : {}),
        ...(body.reason.text ? { text: body.reason.text } : {}),
      },
    ];
  if (notes.length) mr.note = notes;
  if (extension.length) mr.extension = extension;
  return mr;
}

/** Pure: the MedicationRequest after a discontinue (status stopped, why, when, by whom). */
export function discontinued(
  mr: fhir4.MedicationRequest,
  o: { reason: string; reasonCode?: fhir4.Coding; by: fhir4.Reference; now: Date },
): fhir4.MedicationRequest {
  return {
    ...mr,
    status: 'stopped',
    statusReason: { ...(o.reasonCode ? { coding: [o.reasonCode] } : {}), text: o.reason },
    note: [...(mr.note ?? []), { text: `Discontinued: ${o.reason}`, time: o.now.toISOString(), authorReference: o.by }],
    extension: [
      ...(mr.extension ?? []),
      {
        url: `${WINTEHR_EXT}/discontinued`,
        extension: [
          { url: 'by', valueReference: o.by },
          { url: 'at', valueDateTime: o.now.toISOString() },
        ],
      },
    ],
  };
}
