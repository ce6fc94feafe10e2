import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/deps';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { FHIR_SYSTEMS } from './ncpdp';

/** FHIR data for e-prescribing integration tests, created in the shared HAPI with this run's id. */
export const VALID_NPI = '1234567893';
export const VALID_DEA = 'AB1234563';
export const LISINOPRIL = { system: FHIR_SYSTEMS.rxnorm, code: '314076', display: 'lisinopril 10 MG Oral Tablet' };
export const CLONAZEPAM = { system: FHIR_SYSTEMS.rxnorm, code: '197527', display: 'clonazepam 0.5 MG Oral Tablet' }; // C-IV

const tag = () => `${RUN_ID}-${randomUUID().slice(0, 8)}`;

export async function createPharmacy(deps: AppDeps, ncpdpId = '1499902'): Promise<string> {
  const o = await deps.fhir.create<fhir4.Organization>({
    resourceType: 'Organization',
    active: true,
    name: `Test Pharmacy ${tag()}`.slice(0, 70),
    identifier: [
      { system: FHIR_SYSTEMS.ncpdp, value: ncpdpId },
      { system: 'urn:wintehr:test', value: tag() },
    ],
    address: [{ line: ['455 Maple Ave'], city: 'Springfield', state: 'IL', postalCode: '62704' }],
    telecom: [{ system: 'phone', value: '2175550131' }],
  });
  return o.id!;
}

/** `practiceOnly`: no address of their own, only a PractitionerRole at a clinic Location (as staff accounts are). */
export async function createPrescriber(
  deps: AppDeps,
  o: { npi?: string | null; practiceOnly?: boolean } = {},
): Promise<string> {
  const p = await deps.fhir.create<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Wilson', given: ['James'] }],
    identifier: [
      ...(o.npi === null ? [] : [{ system: FHIR_SYSTEMS.npi, value: o.npi ?? VALID_NPI }]),
      { system: 'urn:wintehr:test', value: tag() },
    ],
    ...(o.practiceOnly
      ? {}
      : {
          address: [
            { use: 'work', line: ['100 Medical Center Dr'], city: 'Springfield', state: 'IL', postalCode: '62701' },
          ],
        }),
    telecom: [{ system: 'phone', use: 'work', value: '2175550100' }],
  });
  if (o.practiceOnly) {
    const loc = await deps.fhir.create<fhir4.Location>({
      resourceType: 'Location',
      status: 'active',
      name: `Test clinic ${tag()}`,
      address: { line: ['77 Clinic Way'], city: 'Peoria', state: 'IL', postalCode: '61602' },
    });
    await deps.fhir.create<fhir4.PractitionerRole>({
      resourceType: 'PractitionerRole',
      active: true,
      practitioner: { reference: `Practitioner/${p.id}` },
      location: [{ reference: `Location/${loc.id}` }],
    });
  }
  return p.id!;
}

export async function createErxPatient(
  deps: AppDeps,
  o: { family?: string; given?: string; birthDate?: string } = {},
): Promise<string> {
  const p = await deps.fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    active: true,
    gender: 'female',
    birthDate: o.birthDate ?? '1980-05-17',
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${tag()}` }],
    name: [{ use: 'official', family: o.family ?? 'Erxtest', given: [o.given ?? 'Ana'] }],
    address: [{ use: 'home', line: ['12 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' }],
  });
  return p.id!;
}

export async function createPrescription(
  deps: AppDeps,
  o: { patientId: string; practitionerId: string; pharmacyId: string; drug?: typeof LISINOPRIL; refills?: number },
): Promise<string> {
  const mr = await deps.fhir.create<fhir4.MedicationRequest>({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${o.patientId}` },
    requester: { reference: `Practitioner/${o.practitionerId}` },
    authoredOn: new Date().toISOString(),
    medicationCodeableConcept: { coding: [o.drug ?? LISINOPRIL], text: (o.drug ?? LISINOPRIL).display },
    dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }],
    dispenseRequest: {
      quantity: { value: 30, unit: 'tablet' },
      numberOfRepeatsAllowed: o.refills ?? 2,
      expectedSupplyDuration: { value: 30, unit: 'days', code: 'd' },
      performer: { reference: `Organization/${o.pharmacyId}` },
    },
    substitution: { allowedBoolean: true },
  });
  return mr.id!;
}

/** A physician user linked to a Practitioner, assigned to the patient. */
export async function createPrescriberUser(
  deps: AppDeps,
  o: { practitionerId: string; patientId: string; deaNumber?: string; mfaAt?: number },
): Promise<TestUser> {
  const u = await createTestUser(deps, {
    role: 'physician',
    practitionerId: o.practitionerId,
    deaNumber: o.deaNumber,
    mfaAt: o.mfaAt,
  });
  await deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    u.user.id,
    o.patientId,
    'erx test',
  ]);
  return u;
}

/** EPCS granted by `count` different admins. */
export async function grantEpcs(deps: AppDeps, userId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const admin = await createTestUser(deps, { role: 'admin' });
    await deps.pg.query('INSERT INTO epcs_approvals (user_id, approved_by) VALUES ($1, $2)', [userId, admin.user.id]);
  }
}
