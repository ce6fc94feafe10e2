import type { ProxyRelationship } from '@wintehr/contracts';

/** The proxy as FHIR sees them: a RelatedPerson of the subject, named as the proxy's portal account is. */
const RELATIONSHIP_CODING: Record<ProxyRelationship, fhir4.Coding> = {
  parent: { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'PRN', display: 'parent' },
  guardian: { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GUARD', display: 'guardian' },
  caregiver: { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'CAREGIVER', display: 'caregiver' },
};

export function proxyRelatedPerson(args: {
  subjectPatientId: string;
  proxyName: string;
  relationship: ProxyRelationship;
  start: Date;
  end: Date | null;
}): fhir4.RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    active: true,
    patient: { reference: `Patient/${args.subjectPatientId}` },
    relationship: [{ coding: [RELATIONSHIP_CODING[args.relationship]], text: args.relationship }],
    name: [{ text: args.proxyName }],
    period: { start: args.start.toISOString(), ...(args.end ? { end: args.end.toISOString() } : {}) },
  };
}

/** The RelatedPerson once the grant is revoked: inactive, its period closed. */
export function endedRelatedPerson(r: fhir4.RelatedPerson, at: Date): fhir4.RelatedPerson {
  return { ...r, active: false, period: { ...r.period, end: at.toISOString() } };
}
