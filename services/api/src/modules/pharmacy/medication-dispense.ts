import type { DispenseBody } from '@wintehr/contracts';
import { formatNdc, NDC_SYSTEM, RXNORM_SYSTEM, type NdcProduct } from './ndc';
import type { FillOutcome } from './stock-rules';

export const DISPENSE_ID_SYSTEM = 'urn:wintehr:dispense';
export const EXT_COUNSELLING = 'http://wintehr.dev/fhir/StructureDefinition/pharmacy-counselling';
const UCUM = 'http://unitsofmeasure.org';
const SUBSTITUTION_DISPLAY: Record<string, string> = {
  E: 'equivalent',
  EC: 'equivalent composition',
  BC: 'brand composition',
  G: 'generic composition',
  TE: 'therapeutic alternative',
  TB: 'therapeutic brand',
  TG: 'therapeutic generic',
  F: 'formulary',
};

export interface DispenseFacts {
  dispenseId: string;
  mr: fhir4.MedicationRequest;
  patientId: string;
  practitionerId: string;
  orgId: string;
  product: NdcProduct;
  lot: { lotNumber: string; expiry: string };
  quantity: number;
  daysSupply: number;
  substitution?: DispenseBody['substitution'];
  counselling: DispenseBody['counselling'];
  fill: FillOutcome;
  now: Date;
}

/**
 * Pure: the MedicationDispense for one fill. Lot and expiry are carried the standard FHIR way, on the dispensed
 * product: a contained Medication (code = NDC + RxNorm, batch.lotNumber/expirationDate) referenced from
 * medicationReference. Counselling goes in `note` (readable) and an extension (structured offered/accepted).
 * The identifier is the pharmacy ledger's row id, which makes the create idempotent (ifNoneExist) and lets a
 * compensating delete find it.
 */
export function buildMedicationDispense(f: DispenseFacts): fhir4.MedicationDispense {
  const q = f.mr.dispenseRequest?.quantity;
  const at = f.now.toISOString();
  const performer = { reference: `Practitioner/${f.practitionerId}` };
  const c = f.counselling;
  const counsellingText = `Counselling ${c.offered ? 'offered' : 'not offered'}${c.offered ? `; ${c.accepted ? 'accepted' : 'declined'}` : ''}${c.notes ? `: ${c.notes}` : ''}`;
  return {
    resourceType: 'MedicationDispense',
    identifier: [{ system: DISPENSE_ID_SYSTEM, value: f.dispenseId }],
    contained: [
      {
        resourceType: 'Medication',
        id: 'dispensed',
        code: {
          coding: [
            { system: NDC_SYSTEM, code: formatNdc(f.product.ndc), display: f.product.name },
            { system: RXNORM_SYSTEM, code: f.product.rxcui, display: f.product.name },
          ],
          text: f.product.name,
        },
        batch: { lotNumber: f.lot.lotNumber, expirationDate: f.lot.expiry },
      },
    ],
    status: 'completed',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: f.fill.fillType }] },
    medicationReference: { reference: '#dispensed', display: f.product.name },
    subject: { reference: `Patient/${f.patientId}` },
    performer: [
      {
        function: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationdispense-performer-function',
              code: 'finalchecker',
              display: 'Final Checker',
            },
          ],
        },
        actor: performer,
      },
    ],
    authorizingPrescription: [{ reference: `MedicationRequest/${f.mr.id}` }],
    quantity: {
      value: f.quantity,
      ...(q?.unit ? { unit: q.unit } : {}),
      ...(q?.code ? { system: q.system ?? UCUM, code: q.code } : {}),
    },
    daysSupply: { value: f.daysSupply, unit: 'days', system: UCUM, code: 'd' },
    whenPrepared: at,
    whenHandedOver: at,
    ...(f.mr.dosageInstruction ? { dosageInstruction: f.mr.dosageInstruction } : {}),
    substitution: f.substitution
      ? {
          wasSubstituted: true,
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
                code: f.substitution.type,
                display: SUBSTITUTION_DISPLAY[f.substitution.type],
              },
            ],
          },
          reason: [{ text: f.substitution.reason }],
          responsibleParty: [performer],
        }
      : { wasSubstituted: false },
    note: [{ text: counsellingText, time: at, authorReference: performer }],
    extension: [
      {
        url: EXT_COUNSELLING,
        extension: [
          { url: 'offered', valueBoolean: c.offered },
          { url: 'accepted', valueBoolean: c.accepted },
        ],
      },
    ],
  };
}
