import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Role } from '@wintehr/contracts';
import type { FhirClient } from '../../core/fhir/fhir-client';
import { AuthService } from '../auth/auth.service';
import { usersRepository } from '../../core/auth/users.repository';

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  practitioner?: string; // identifier value in urn:wintehr:demo
  patientMrn?: string;
  pharmacy?: boolean;
}

/** The demo accounts listed in README; created only when DEMO_MODE is on, linked to the seeded FHIR data. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'dr.wilson', displayName: 'Dr. James Wilson', role: 'physician', practitioner: 'practitioner-wilson' },
  { username: 'nurse.joy', displayName: 'Nurse Joy', role: 'nurse', practitioner: 'practitioner-nurse-joy' },
  {
    username: 'pharm.lee',
    displayName: 'Pharmacist Lee',
    role: 'pharmacist',
    practitioner: 'practitioner-pharm-lee',
    pharmacy: true,
  },
  {
    username: 'lab.kim',
    displayName: 'Lab Technician Kim',
    role: 'lab_technician',
    practitioner: 'practitioner-lab-kim',
  },
  { username: 'admin', displayName: 'Administrator', role: 'admin' },
  { username: 'maria.garcia', displayName: 'Maria Garcia', role: 'patient', patientMrn: 'MRN-000001' },
  { username: 'john.smith', displayName: 'John Smith', role: 'patient', patientMrn: 'MRN-000002' },
  // Proxy access demo: a guardian acting for a child under 12 and a teenager (their charts and grants: proxy-access).
  { username: 'parent.rivera', displayName: 'Elena Rivera', role: 'patient', patientMrn: 'MRN-PROXY-01' },
];

async function firstId(
  fhir: FhirClient,
  type: 'Practitioner' | 'Patient' | 'Organization',
  identifier: string,
): Promise<string | undefined> {
  const found = await fhir.searchResources(type, { identifier, _elements: 'id', _count: 1 });
  return found[0]?.id;
}

export async function ensureDemoUsers(pg: Pool, fhir: FhirClient, password: string, logger: Logger): Promise<number> {
  let created = 0;
  const hash = await AuthService.hashPassword(password);
  for (const u of DEMO_USERS) {
    if (await usersRepository.byUsername(pg, u.username)) continue;
    const practitionerId = u.practitioner
      ? await firstId(fhir, 'Practitioner', `urn:wintehr:demo|${u.practitioner}`)
      : undefined;
    const patientId = u.patientMrn ? await firstId(fhir, 'Patient', u.patientMrn) : undefined;
    const pharmacyId = u.pharmacy
      ? await firstId(fhir, 'Organization', 'urn:wintehr:demo|pharmacy-wintehr-outpatient')
      : undefined;
    if (u.role === 'patient' && !patientId) {
      logger.warn(
        { username: u.username },
        'demo patient not found in HAPI; portal account skipped (load demo data first)',
      );
      continue;
    }
    await usersRepository.insert(pg, {
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      passwordHash: hash,
      fhirPractitionerId: practitionerId,
      fhirPatientId: patientId,
      pharmacyOrgId: pharmacyId,
      isDemo: true,
    });
    created++;
  }
  if (created) logger.info({ created }, 'demo users created');
  return created;
}
