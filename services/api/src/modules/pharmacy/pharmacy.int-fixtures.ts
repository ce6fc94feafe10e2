/** Shared set-up for the pharmacy integration tests: real resources in HAPI, real users in PostgreSQL. */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/deps';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
/** lisinopril 20 MG Oral Tablet (RxNorm 314077) and two of its NDCs. */
export const LISINOPRIL_20 = { rxcui: '314077', ndc: '00143971301', otherNdc: '00185062001' };
/** lisinopril 10 MG Oral Tablet: a duplicate-therapy partner. */
export const LISINOPRIL_10 = '314076';
/** oxycodone hydrochloride 5 MG Oral Tablet (C-II). */
export const OXYCODONE_5 = { rxcui: '1049621', ndc: '00378611201' };

export const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export async function createPharmacyOrg(deps: Pick<AppDeps, 'fhir'>, name = 'Test In-house Pharmacy'): Promise<string> {
  const org = await deps.fhir.create<fhir4.Organization>({
    resourceType: 'Organization',
    active: true,
    name: `${name} ${RUN_ID}`,
    type: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }],
        text: 'Pharmacy',
      },
    ],
    identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID().slice(0, 8)}` }],
  });
  return org.id!;
}

export function medicationRequest(o: {
  patientId: string;
  prescriberId: string;
  orgId?: string;
  rxcui?: string;
  quantity?: number;
  priority?: fhir4.MedicationRequest['priority'];
  authoredOn?: string;
  substitutionAllowed?: boolean;
}): fhir4.MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    ...(o.priority ? { priority: o.priority } : {}),
    identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID()}` }],
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: o.rxcui ?? LISINOPRIL_20.rxcui }],
      text: `RxNorm ${o.rxcui ?? LISINOPRIL_20.rxcui}`,
    },
    subject: { reference: `Patient/${o.patientId}` },
    requester: { reference: `Practitioner/${o.prescriberId}` },
    authoredOn: o.authoredOn ?? new Date().toISOString(),
    dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }],
    dispenseRequest: {
      quantity: { value: o.quantity ?? 30, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '{tablet}' },
      expectedSupplyDuration: { value: 30, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      numberOfRepeatsAllowed: 0,
      ...(o.orgId ? { performer: { reference: `Organization/${o.orgId}` } } : {}),
    },
    substitution: { allowedBoolean: o.substitutionAllowed ?? true },
  };
}

export interface PharmacyWorld {
  orgId: string;
  otherOrgId: string;
  prescriberId: string;
  patientId: string;
  pharmacist: TestUser;
  pharmacist2: TestUser;
  otherPharmacist: TestUser;
  physician: TestUser;
}

/** Two pharmacists of one pharmacy, one of another pharmacy, a physician, a patient and a prescriber. */
export async function createPharmacyWorld(deps: AppDeps): Promise<PharmacyWorld> {
  const [orgId, otherOrgId, prescriberId, patientId, p1, p2, p3] = await Promise.all([
    createPharmacyOrg(deps),
    createPharmacyOrg(deps, 'Other Pharmacy'),
    createTestPractitioner(deps),
    createTestPatient(deps, 'Pharmacytest'),
    createTestPractitioner(deps),
    createTestPractitioner(deps),
    createTestPractitioner(deps),
  ]);
  const [pharmacist, pharmacist2, otherPharmacist, physician] = await Promise.all([
    createTestUser(deps, { role: 'pharmacist', practitionerId: p1, pharmacyOrgId: orgId }),
    createTestUser(deps, { role: 'pharmacist', practitionerId: p2, pharmacyOrgId: orgId }),
    createTestUser(deps, { role: 'pharmacist', practitionerId: p3, pharmacyOrgId: otherOrgId }),
    createTestUser(deps, { role: 'physician', practitionerId: prescriberId }),
  ]);
  return { orgId, otherOrgId, prescriberId, patientId, pharmacist, pharmacist2, otherPharmacist, physician };
}

export const counselling = { offered: true, accepted: true, notes: 'Discussed dizziness and potassium' };
