import type { Request } from 'express';
import { AppError } from '../../core/errors';
import { assertVersion, patientIdOf, requireIfMatch } from './http-helpers';

const req = (ifMatch?: string) => ({ get: (h: string) => (h.toLowerCase() === 'if-match' ? ifMatch : undefined) }) as unknown as Request;

describe('If-Match handling', () => {
  it('reads weak, strong and bare versions', () => {
    expect(requireIfMatch(req('W/"3"'))).toBe('3');
    expect(requireIfMatch(req('"12"'))).toBe('12');
    expect(requireIfMatch(req('7'))).toBe('7');
  });
  it('answers 428 when absent and 400 when malformed', () => {
    expect(() => requireIfMatch(req())).toThrow(expect.objectContaining({ status: 428, code: 'PRECONDITION_REQUIRED' }));
    const e = (() => { try { requireIfMatch(req('W/"a b"')); } catch (err) { return err as AppError; } })();
    expect(e?.status).toBe(400);
  });
  it('flags a stale version as 409 VERSION_CONFLICT', () => {
    expect(() => assertVersion({ resourceType: 'Patient', meta: { versionId: '2' } } as fhir4.Resource, '1')).toThrow(expect.objectContaining({ status: 409, code: 'VERSION_CONFLICT' }));
    expect(() => assertVersion({ resourceType: 'Patient', meta: { versionId: '2' } } as fhir4.Resource, '2')).not.toThrow();
  });
  it('takes the patient id out of a Patient reference only', () => {
    expect(patientIdOf({ reference: 'Patient/abc-1' })).toBe('abc-1');
    expect(patientIdOf({ reference: 'Group/abc' })).toBeUndefined();
    expect(patientIdOf(undefined)).toBeUndefined();
  });
});
