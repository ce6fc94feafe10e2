import { ageOn } from '../../core/fhir/dates';
import { MRN_SYSTEM, MR_TYPE, mrnOf } from './mrn';
import type { z } from 'zod';
import type { PatientView, UpdatePatientBody } from '@wintehr/contracts';
import { SSN_SYSTEM, isSsn, maskPatientSsn, maskSsn } from './ssn';

type Demographics = Omit<z.output<typeof UpdatePatientBody>, 'active'> & { active?: boolean };

/**
 * Our demographics → a FHIR Patient. On update the existing resource keeps everything we do not manage
 * (other identifiers, links, extensions, generalPractitioner…) and the MRN; the SSN is replaced only
 * when a new one is given.
 */
export function toFhirPatient(d: Demographics, o: { mrn?: string; existing?: fhir4.Patient }): fhir4.Patient {
  const keptIds = (o.existing?.identifier ?? []).filter((i) => !(d.ssn && isSsn(i)));
  const identifier: fhir4.Identifier[] = o.existing
    ? keptIds
    : [
        {
          use: 'usual',
          type: { coding: [{ ...MR_TYPE, display: 'Medical record number' }], text: 'MRN' },
          system: MRN_SYSTEM,
          value: o.mrn,
        },
      ];
  if (d.ssn)
    identifier.push({
      use: 'secondary',
      type: { coding: [{ system: MR_TYPE.system, code: 'SS' }] },
      system: SSN_SYSTEM,
      value: d.ssn,
    });
  const telecom: fhir4.ContactPoint[] = [];
  if (d.phone) telecom.push({ system: 'phone', value: d.phone, use: 'home', rank: 1 });
  if (d.email) telecom.push({ system: 'email', value: d.email, use: 'home' });
  const base: fhir4.Patient = o.existing ? { ...o.existing } : { resourceType: 'Patient' };
  return {
    ...base,
    resourceType: 'Patient',
    active: d.active ?? o.existing?.active ?? true,
    identifier,
    name: [
      {
        use: 'official',
        family: d.name.family,
        given: d.name.given,
        ...(d.name.prefix ? { prefix: d.name.prefix } : {}),
        ...(d.name.suffix ? { suffix: d.name.suffix } : {}),
        text: [...d.name.given, d.name.family].join(' '),
      },
    ],
    gender: d.gender,
    birthDate: d.birthDate,
    ...(telecom.length ? { telecom } : { telecom: undefined }),
    ...(d.address ? { address: [{ use: 'home', type: 'physical', ...d.address }] } : { address: undefined }),
    ...(d.preferredLanguage
      ? {
          communication: [
            { language: { coding: [{ system: 'urn:ietf:bcp:47', code: d.preferredLanguage }] }, preferred: true },
          ],
        }
      : {}),
  };
}

export function displayName(p: fhir4.Patient): { family?: string; given: string[]; text: string } {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  const given = n?.given ?? [];
  return { family: n?.family, given, text: n?.text ?? [...given, n?.family ?? ''].join(' ').trim() };
}

/** What the API returns for a Patient: flat demographics plus the (masked) resource. */
export function toPatientView(p: fhir4.Patient, now = new Date()): PatientView {
  const ssn = p.identifier?.find(isSsn)?.value;
  return {
    id: p.id!,
    version: p.meta?.versionId,
    active: p.active !== false,
    mrn: mrnOf(p),
    name: displayName(p),
    birthDate: p.birthDate,
    age: p.birthDate ? ageOn(p.birthDate, now) : undefined,
    gender: p.gender,
    phone: p.telecom?.find((t) => t.system === 'phone')?.value,
    email: p.telecom?.find((t) => t.system === 'email')?.value,
    address: p.address?.[0],
    ssn: maskSsn(ssn),
    resource: maskPatientSsn(p),
  };
}
