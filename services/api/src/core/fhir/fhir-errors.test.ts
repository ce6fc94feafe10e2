import { hapiStatusToError, networkError, outcomeIssues } from './fhir-errors';

const oo = (diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'processing', diagnostics }],
});

describe('hapiStatusToError', () => {
  it.each([
    [404, 404, 'RESOURCE_NOT_FOUND'],
    [410, 404, 'RESOURCE_NOT_FOUND'],
    [400, 422, 'FHIR_VALIDATION_ERROR'],
    [422, 422, 'FHIR_VALIDATION_ERROR'],
    [409, 409, 'CONFLICT'],
    [412, 409, 'VERSION_CONFLICT'],
    [500, 503, 'HAPI_SERVER_ERROR'],
    [502, 503, 'HAPI_SERVER_ERROR'],
  ])('HAPI %i → %i %s', (hapiStatus, status, code) => {
    const err = hapiStatusToError(hapiStatus, oo('why'), 'read Patient/1');
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
  });

  it('carries HAPI diagnostics as the message and the issues as details', () => {
    const err = hapiStatusToError(422, oo('Patient.birthDate: invalid date'), 'create Patient');
    expect(err.message).toBe('Patient.birthDate: invalid date');
    expect(err.details).toEqual({
      issues: [{ severity: 'error', code: 'processing', diagnostics: 'Patient.birthDate: invalid date' }],
    });
  });

  it('falls back to a generic message for non-OperationOutcome bodies', () => {
    const err = hapiStatusToError(404, '<html>', 'read Patient/1');
    expect(err.message).toBe('read Patient/1 not found');
    expect(err.details).toBeUndefined();
  });
});

describe('networkError', () => {
  it('is a 503 HAPI_UNAVAILABLE and distinguishes time-outs', () => {
    expect(networkError({ code: 'ECONNREFUSED' }, 'x')).toMatchObject({
      status: 503,
      code: 'HAPI_UNAVAILABLE',
      message: 'HAPI FHIR server is unreachable',
    });
    expect(networkError({ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'read Patient/1').message).toMatch(/in time/);
  });
});

describe('outcomeIssues', () => {
  it('ignores bodies that are not OperationOutcomes', () => {
    expect(outcomeIssues({ resourceType: 'Patient' })).toEqual([]);
    expect(outcomeIssues(undefined)).toEqual([]);
  });
});
