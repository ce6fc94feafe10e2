import type { Request } from 'express';
import { AppError } from '../../core/errors';
import {
  assertVersion,
  FhirId,
  humanNameText,
  idFromReference,
  parseReference,
  patientIdOf,
  requireIfMatch,
} from './fhir-kit';

const req = (ifMatch?: string) =>
  ({ get: (h: string) => (h.toLowerCase() === 'if-match' ? ifMatch : undefined) }) as unknown as Request;

describe('If-Match handling', () => {
  it('reads weak, strong and bare versions', () => {
    expect(requireIfMatch(req('W/"3"'))).toBe('3');
    expect(requireIfMatch(req('"12"'))).toBe('12');
    expect(requireIfMatch(req('7'))).toBe('7');
  });
  it('answers 428 when absent and 400 when malformed', () => {
    expect(() => requireIfMatch(req())).toThrow(
      expect.objectContaining({ status: 428, code: 'PRECONDITION_REQUIRED' }),
    );
    const e = (() => {
      try {
        requireIfMatch(req('W/"a b"'));
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(e?.status).toBe(400);
  });
  it('flags a stale version as 409 VERSION_CONFLICT', () => {
    expect(() => assertVersion({ resourceType: 'Patient', meta: { versionId: '2' } } as fhir4.Resource, '1')).toThrow(
      expect.objectContaining({ status: 409, code: 'VERSION_CONFLICT' }),
    );
    expect(() =>
      assertVersion({ resourceType: 'Patient', meta: { versionId: '2' } } as fhir4.Resource, '2'),
    ).not.toThrow();
  });
  it('takes the patient id out of a Patient reference only', () => {
    expect(patientIdOf({ reference: 'Patient/abc-1' })).toBe('abc-1');
    expect(patientIdOf({ reference: 'Group/abc' })).toBeUndefined();
    expect(patientIdOf(undefined)).toBeUndefined();
  });
});

describe('references and ids', () => {
  it('parses relative, versioned and absolute references', () => {
    expect(parseReference('Observation/o-1')).toEqual({ type: 'Observation', id: 'o-1' });
    expect(parseReference('Observation/o-1/_history/4')).toEqual({ type: 'Observation', id: 'o-1', version: '4' });
    expect(parseReference('http://x/fhir/Patient/p.1')).toEqual({ type: 'Patient', id: 'p.1' });
    for (const bad of [
      undefined,
      '',
      'Patient',
      'Patient/',
      'patient/1',
      'Patient/a b',
      '#c1',
      'urn:uuid:1',
      'Patient?_id=1',
    ])
      expect(parseReference(bad)).toBeUndefined();
  });
  it('idFromReference keeps only the named type', () => {
    expect(idFromReference('Patient/p1', 'Patient')).toBe('p1');
    expect(idFromReference('Group/p1', 'Patient')).toBeUndefined();
  });
  it('patientIdOf accepts only the relative form this service writes', () => {
    expect(patientIdOf({ reference: 'http://x/fhir/Patient/p1' })).toBeUndefined();
  });
  it('FhirId', () => {
    expect(FhirId.safeParse('abc-1.2').success).toBe(true);
    expect(FhirId.safeParse('a'.repeat(65)).success).toBe(false);
    expect(FhirId.safeParse('a/b').success).toBe(false);
  });
});

describe('humanNameText', () => {
  const names: fhir4.HumanName[] = [
    { use: 'nickname', given: ['Annie'] },
    { use: 'official', prefix: ['Dr.'], family: 'Garcia', given: ['Maria', 'L'] },
  ];
  it('takes the official name, given names then family, with the prefix unless asked not to', () => {
    expect(humanNameText(names)).toBe('Dr. Maria L Garcia');
    expect(humanNameText(names, { prefix: false })).toBe('Maria L Garcia');
    expect(humanNameText([{ given: ['Ana'], family: 'Lee' }])).toBe('Ana Lee');
    expect(humanNameText([{ text: 'María López', family: 'Lopez' }])).toBe('María López');
  });
  it('has nothing to show for no name', () => {
    expect(humanNameText(undefined)).toBeUndefined();
    expect(humanNameText([{}])).toBeUndefined();
  });
});
