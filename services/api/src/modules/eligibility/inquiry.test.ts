import { build270, tokenize } from '@wintehr/x12';
import { AppError } from '../../core/errors';
import {
  memberIdOf,
  patientIsSubscriber,
  payerIdOf,
  providerOf,
  toInquiry,
  X12_PAYER_ID_SYSTEM,
  type InquiryParts,
} from './inquiry';

const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Garcia', given: ['Sofia', 'Ana'] }],
  birthDate: '2015-02-03',
  gender: 'female',
};
const parent: fhir4.RelatedPerson = {
  resourceType: 'RelatedPerson',
  id: 'r1',
  patient: { reference: 'Patient/p1' },
  name: [{ family: 'Garcia', given: ['Luis'] }],
  birthDate: '1980-11-11',
  gender: 'male',
};
const payer: fhir4.Organization = {
  resourceType: 'Organization',
  id: 'o1',
  name: 'Heartland Mutual',
  identifier: [
    { system: 'urn:other', value: 'X' },
    { system: X12_PAYER_ID_SYSTEM, value: '60054' },
  ],
};
const self: fhir4.Coverage = {
  resourceType: 'Coverage',
  id: 'c1',
  status: 'active',
  beneficiary: { reference: 'Patient/p1' },
  subscriberId: 'ELIG-FAMILY-1',
  relationship: { coding: [{ code: 'self' }] },
  payor: [{ reference: 'Organization/o1' }],
};
const opts = {
  serviceDate: '2026-12-04',
  serviceTypes: ['30'],
  at: new Date(Date.UTC(2026, 11, 4, 9)),
  controlNumber: 7,
  traceNumber: 'TR1',
  senderId: 'WINTEHR',
  receiverId: 'CLEARHOUSE',
};
const provider = { npi: '1234567893', organizationName: 'WINTEHR MEDICAL CENTER' };

describe('FHIR → 270 inquiry', () => {
  it('asks about the patient as subscriber when the coverage is their own', () => {
    const input = toInquiry({ patient, coverage: self, payer, provider }, opts);
    expect(input.subscriber).toEqual({
      lastName: 'Garcia',
      firstName: 'Sofia',
      middleName: 'Ana',
      birthDate: '2015-02-03',
      gender: 'F',
      memberId: 'ELIG-FAMILY-1',
    });
    expect(input.dependent).toBeUndefined();
    expect(input.payer).toEqual({ name: 'Heartland Mutual', id: '60054' });
    const lines = tokenize(build270(input)).segments.map((s) => [s.id, ...s.elements].join('*'));
    expect(lines).toContain('NM1*IL*1*Garcia*Sofia*Ana***MI*ELIG-FAMILY-1');
    expect(lines).toContain('NM1*PR*2*Heartland Mutual*****PI*60054');
  });

  it("asks about a dependent under the subscriber's member id", () => {
    const coverage: fhir4.Coverage = {
      ...self,
      relationship: { coding: [{ code: 'child' }] },
      subscriber: { reference: 'RelatedPerson/r1' },
    };
    const input = toInquiry({ patient, coverage, subscriber: parent, payer, provider } as InquiryParts, opts);
    expect(input.subscriber).toMatchObject({
      lastName: 'Garcia',
      firstName: 'Luis',
      memberId: 'ELIG-FAMILY-1',
      gender: 'M',
    });
    expect(input.dependent).toMatchObject({ firstName: 'Sofia', birthDate: '2015-02-03' });
  });

  it.each([
    [{ ...self, subscriberId: undefined }, payer, /member id/],
    [self, { ...payer, identifier: [] }, /payer id/],
    [
      { ...self, relationship: { coding: [{ code: 'spouse' }] }, subscriber: { reference: 'Patient/other' } },
      payer,
      /dependent/,
    ],
  ])('refuses a coverage that cannot make an inquiry with a 422 (%#)', (coverage, org, message) => {
    let err: unknown;
    try {
      toInquiry({ patient, coverage: coverage as fhir4.Coverage, payer: org, provider }, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(422);
    expect((err as AppError).message).toMatch(message);
  });

  it('refuses a patient without a family name', () => {
    expect(() =>
      toInquiry({ patient: { ...patient, name: [{ given: ['X'] }] }, coverage: self, payer, provider }, opts),
    ).toThrow(/family name/);
  });

  it('finds member and payer ids where FHIR keeps them', () => {
    expect(
      memberIdOf({
        ...self,
        subscriberId: undefined,
        identifier: [{ value: 'A' }, { type: { coding: [{ code: 'MB' }] }, value: 'B' }],
      }),
    ).toBe('B');
    expect(memberIdOf({ ...self, subscriberId: '  ' })).toBeUndefined();
    expect(payerIdOf({ ...payer, identifier: [{ system: 'urn:x', value: 'DEMO-1' }] })).toBe('DEMO-1');
    expect(
      patientIsSubscriber({ ...self, relationship: undefined, subscriber: { reference: 'Patient/p1' } }, 'p1'),
    ).toBe(true);
    expect(
      patientIsSubscriber({ ...self, relationship: undefined, subscriber: { reference: 'Patient/p2' } }, 'p1'),
    ).toBe(false);
  });

  it("uses the practitioner's NPI when they have one, else the organization's", () => {
    const doc: fhir4.Practitioner = {
      resourceType: 'Practitioner',
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1245319599' }],
      name: [{ family: 'Wilson', given: ['Sarah'] }],
    };
    expect(providerOf(doc, { npi: '1234567893', name: 'ORG' })).toEqual({
      npi: '1245319599',
      lastName: 'Wilson',
      firstName: 'Sarah',
    });
    expect(providerOf({ ...doc, identifier: [] }, { npi: '1234567893', name: 'ORG' })).toEqual({
      npi: '1234567893',
      organizationName: 'ORG',
    });
    expect(providerOf(undefined, { npi: '1234567893', name: 'ORG' })).toEqual({
      npi: '1234567893',
      organizationName: 'ORG',
    });
  });
});
