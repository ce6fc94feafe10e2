import { randomUUID } from 'node:crypto';
import type { Role } from '@wintehr/contracts';
import type { AppDeps } from '../core/deps';
import { AuthService, principalOf } from '../modules/auth/auth.service';
import { usersRepository, type UserRow } from '../core/auth/users.repository';
import { RUN_ID } from './test-env';

export const TEST_PASSWORD = 'Test-Passw0rd-2026!';
let hashed: Promise<string> | undefined;

export interface TestUser {
  user: UserRow;
  token: string;
  auth: { Authorization: string };
}

/**
 * A real account in the test database with a real signed access token (no login round trip), for tests
 * that exercise authorization. Usernames carry the run id so parallel runs never collide.
 */
export async function createTestUser(
  deps: Pick<AppDeps, 'pg' | 'tokens'>,
  o: {
    role: Role;
    practitionerId?: string;
    patientId?: string;
    pharmacyOrgId?: string;
    deaNumber?: string;
    mfaAt?: number;
    name?: string;
  },
): Promise<TestUser> {
  hashed ??= AuthService.hashPassword(TEST_PASSWORD);
  const username = `${o.name ?? o.role.replace('_', '')}.${RUN_ID}.${randomUUID().slice(0, 6)}`
    .toLowerCase()
    .slice(0, 64);
  const user = await usersRepository.insert(deps.pg, {
    username,
    displayName: `Test ${o.role}`,
    role: o.role,
    passwordHash: await hashed,
    fhirPractitionerId: o.practitionerId,
    fhirPatientId: o.patientId,
    pharmacyOrgId: o.pharmacyOrgId,
    deaNumber: o.deaNumber,
  });
  const { token } = await deps.tokens.issueAccessToken(principalOf(user, o.mfaAt));
  return { user, token, auth: { Authorization: `Bearer ${token}` } };
}

/** A FHIR Patient created for one test (with an MRN carrying the run id). */
export async function createTestPatient(deps: Pick<AppDeps, 'fhir'>, family = 'Testpatient'): Promise<string> {
  const p = await deps.fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    active: true,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${RUN_ID}-${randomUUID().slice(0, 8)}` }],
    name: [{ family, given: ['Test'] }],
    gender: 'female',
    birthDate: '1980-05-17',
  });
  return p.id!;
}

/** A FHIR Practitioner for one test. */
export async function createTestPractitioner(deps: Pick<AppDeps, 'fhir'>): Promise<string> {
  const p = await deps.fhir.create<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Tester', given: ['Pat'] }],
    identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID().slice(0, 8)}` }],
  });
  return p.id!;
}
