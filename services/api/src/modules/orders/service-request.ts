import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import type { CatalogItem, OrderType } from './catalog';
import type { Priority } from './order-sets';

export const ORDER_ID_SYSTEM = 'urn:wintehr:order';
export const REQUISITION_SYSTEM = 'urn:wintehr:requisition';
const SCT = 'http://snomed.info/sct';

export const CATEGORY: Record<OrderType, fhir4.Coding> = {
  lab: { system: SCT, code: '108252007', display: 'Laboratory procedure' },
  imaging: { system: SCT, code: '363679005', display: 'Imaging' },
  referral: { system: SCT, code: '3457005', display: 'Patient referral' },
};

export interface OrderFacts {
  patientId: string;
  requester: fhir4.Reference;
  item: CatalogItem;
  priority: Priority;
  orderId: string;
  now: Date;
  requisition?: string;
  reason?: { coding?: fhir4.Coding[]; text?: string };
  note?: string;
  encounterId?: string;
  occurrenceDateTime?: string;
  contrast?: boolean;
}

/** Pure: the ServiceRequest for one catalog item. */
export function buildServiceRequest(f: OrderFacts): fhir4.ServiceRequest {
  const sr: fhir4.ServiceRequest = {
    resourceType: 'ServiceRequest',
    identifier: [{ system: ORDER_ID_SYSTEM, value: f.orderId }],
    status: 'active',
    intent: 'order',
    category: [{ coding: [CATEGORY[f.item.type]] }],
    priority: f.priority,
    code: { coding: [{ system: f.item.system, code: f.item.code, display: f.item.display }], text: f.item.display },
    subject: { reference: `Patient/${f.patientId}` },
    authoredOn: f.now.toISOString(),
    requester: f.requester,
  };
  if (f.requisition) sr.requisition = { system: REQUISITION_SYSTEM, value: f.requisition };
  if (f.encounterId) sr.encounter = { reference: `Encounter/${f.encounterId}` };
  if (f.occurrenceDateTime) sr.occurrenceDateTime = f.occurrenceDateTime;
  if (f.reason)
    sr.reasonCode = [
      { ...(f.reason.coding ? { coding: f.reason.coding } : {}), ...(f.reason.text ? { text: f.reason.text } : {}) },
    ];
  if (f.item.type === 'referral' && f.item.detail) sr.performerType = { text: f.item.detail };
  const notes: fhir4.Annotation[] = [];
  if (f.note) notes.push({ text: f.note, time: f.now.toISOString(), authorReference: f.requester });
  if (f.item.fasting) notes.push({ text: 'Fasting specimen required' });
  if (f.contrast !== undefined) sr.orderDetail = [{ text: f.contrast ? 'With IV contrast' : 'Without IV contrast' }];
  if (notes.length) sr.note = notes;
  return sr;
}

/** Pure: the ServiceRequest after a cancel (revoked, with the R4 request-statusReason extension). */
export function revoked(
  sr: fhir4.ServiceRequest,
  o: { reason: string; by: fhir4.Reference; now: Date },
): fhir4.ServiceRequest {
  return {
    ...sr,
    status: 'revoked',
    extension: [
      ...(sr.extension ?? []),
      { url: 'http://hl7.org/fhir/StructureDefinition/request-statusReason', valueCodeableConcept: { text: o.reason } },
      {
        url: `${WINTEHR_EXT}/cancelled`,
        extension: [
          { url: 'by', valueReference: o.by },
          { url: 'at', valueDateTime: o.now.toISOString() },
        ],
      },
    ],
    note: [...(sr.note ?? []), { text: `Cancelled: ${o.reason}`, time: o.now.toISOString(), authorReference: o.by }],
  };
}

export function orderTypeOf(sr: fhir4.ServiceRequest): OrderType | undefined {
  const code = sr.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === SCT)?.code;
  return (Object.keys(CATEGORY) as OrderType[]).find((t) => CATEGORY[t].code === code);
}
