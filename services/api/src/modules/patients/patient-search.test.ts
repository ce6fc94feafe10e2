import { toIndexed } from './patient-index';
import { parseCriteria, rankPatients } from './patient-search';

const mk = (id: string, given: string, family: string, birthDate: string, phone: string, mrn: string) =>
  toIndexed({
    resourceType: 'Patient',
    id,
    name: [{ family, given: [given] }],
    birthDate,
    gender: 'female',
    telecom: [{ system: 'phone', value: phone }],
    identifier: [
      { system: 'urn:wintehr:mrn', value: mrn },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' },
    ],
  });
const people = [
  mk('1', 'Carmen', 'Reddy', '1961-11-22', '(410) 555-0151', 'MRN-000003'),
  mk('2', 'Karen', 'Redding', '1970-01-01', '(410) 555-0199', 'MRN-000004'),
  mk('3', 'John', 'Smith', '1980-05-17', '(301) 555-0100', 'MRN-000005'),
  mk('4', 'Jon', 'Smyth', '1990-05-17', '(301) 555-0101', 'MRN-000006'),
];

describe('patient search ranking', () => {
  it('splits free text into names, a birth date, an MRN and numbers', () => {
    expect(parseCriteria({ q: 'Karmen redy 11/22/1961' })).toMatchObject({
      nameTokens: ['karmen', 'redy'],
      birthDate: '1961-11-22',
    });
    expect(parseCriteria({ q: 'MRN-000003' }).mrn).toBe('mrn-000003');
    expect(parseCriteria({ q: '555-0151' }).number).toBe('5550151');
  });
  it('finds a typo and a phonetic spelling, best match first', () => {
    const r = rankPatients(parseCriteria({ q: 'karmen redy' }), people);
    expect(r[0]!.patient.id).toBe('1');
    expect(r.map((x) => x.patient.id)).not.toContain('3');
  });
  it('finds sound-alike names both ways', () => {
    expect(rankPatients(parseCriteria({ name: 'smith' }), people).map((x) => x.patient.id)).toEqual(['3', '4']);
    expect(rankPatients(parseCriteria({ name: 'jon smith' }), people)[0]!.patient.id).toBe('3');
  });
  it('finds partial names', () => {
    expect(
      rankPatients(parseCriteria({ name: 'red' }), people)
        .map((x) => x.patient.id)
        .sort(),
    ).toEqual(['1', '2']);
  });
  it('requires the birth date, MRN and phone when given', () => {
    expect(
      rankPatients(parseCriteria({ name: 'smith', birthDate: '1990-05-17' }), people).map((x) => x.patient.id),
    ).toEqual(['4']);
    expect(rankPatients(parseCriteria({ mrn: 'MRN-000005' }), people).map((x) => x.patient.id)).toEqual(['3']);
    expect(rankPatients(parseCriteria({ phone: '410-555-0199' }), people).map((x) => x.patient.id)).toEqual(['2']);
    expect(rankPatients(parseCriteria({ q: '5550101' }), people).map((x) => x.patient.id)).toEqual(['4']);
  });
  it('never indexes the SSN', () => {
    expect(JSON.stringify(people)).not.toContain('6789');
    expect(rankPatients(parseCriteria({ q: '123456789' }), people)).toEqual([]);
  });
});
