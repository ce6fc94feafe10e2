import { RXNORM, type StatementBody } from '@wintehr/contracts';

const SOURCE_DISPLAY: Record<StatementBody['informationSource'], string> = {
  patient: 'Patient',
  practitioner: 'Practitioner',
  'related-person': 'Related person',
  'pharmacy-record': 'Pharmacy record',
};

/** Pure: a MedicationStatement for a home medication reported during reconciliation. */
export function buildMedicationStatement(
  body: StatementBody,
  f: { patientId: string; productName?: string; recorder?: fhir4.Reference; now: Date },
): fhir4.MedicationStatement {
  const display = f.productName ?? body.medication.display!;
  const ms: fhir4.MedicationStatement = {
    resourceType: 'MedicationStatement',
    status: body.status,
    category: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/medication-statement-category',
          code: 'community',
          display: 'Community',
        },
      ],
    },
    medicationCodeableConcept: {
      ...(body.medication.code ? { coding: [{ system: RXNORM, code: body.medication.code, display }] } : {}),
      text: body.medication.display ?? display,
    },
    subject: { reference: `Patient/${f.patientId}` },
    dateAsserted: f.now.toISOString(),
  };
  // Who the information came from; the patient themself is the usual source of a home-medication list.
  if (body.informationSource === 'patient') ms.informationSource = { reference: `Patient/${f.patientId}` };
  else if (body.informationSource === 'practitioner' && f.recorder) ms.informationSource = f.recorder;
  else ms.informationSource = { display: SOURCE_DISPLAY[body.informationSource] };
  if (body.effectiveStart || body.effectiveEnd)
    ms.effectivePeriod = {
      ...(body.effectiveStart ? { start: body.effectiveStart } : {}),
      ...(body.effectiveEnd ? { end: body.effectiveEnd } : {}),
    };
  if (body.dosageText) ms.dosage = [{ text: body.dosageText }];
  if (body.reasonText) ms.reasonCode = [{ text: body.reasonText }];
  if (body.note) ms.note = [{ text: body.note, time: f.now.toISOString() }];
  return ms;
}
