import { conflict, hapiUnavailable, notFound, RateLimitError } from '../errors';
import { toErrorBody, toOperationOutcome } from './error-body';

describe('toErrorBody', () => {
  it('produces the seed 004 §6.5 shape', () => {
    const now = new Date('2026-01-15T10:30:00Z');
    expect(toErrorBody(notFound('Patient', '999'), '/api/patients/999/summary', 'req-abc-123', now)).toEqual({
      error: {
        code: 'RESOURCE_NOT_FOUND',
        message: "Patient with ID '999' not found",
        details: { resourceType: 'Patient', resourceId: '999' },
        timestamp: '2026-01-15T10:30:00.000Z',
        path: '/api/patients/999/summary',
        requestId: 'req-abc-123',
      },
    });
  });

  it('omits details when there are none', () => {
    const body = toErrorBody(conflict('Version mismatch'), '/x', 'r1');
    expect(body.error).not.toHaveProperty('details');
    expect(body.error.code).toBe('CONFLICT');
  });
});

describe('toOperationOutcome', () => {
  it('maps status to an issue code and keeps HAPI issues carried in details', () => {
    const hapiIssue = { severity: 'error' as const, code: 'invalid' as const, diagnostics: 'bad date' };
    const oo = toOperationOutcome(new (class extends RateLimitError {})(3), 'r2');
    expect(oo.issue[0]?.code).toBe('throttled');
    const withIssues = toOperationOutcome(hapiUnavailable('down', { issues: [hapiIssue] }), 'r3');
    expect(withIssues.issue[0]).toMatchObject({ severity: 'fatal', code: 'transient' });
    expect(withIssues.issue[1]).toEqual(hapiIssue);
  });
});

describe('RateLimitError', () => {
  it('sets Retry-After to whole seconds, at least 1', () => {
    expect(new RateLimitError(0.2).headers['Retry-After']).toBe('1');
    expect(new RateLimitError(12.1).headers['Retry-After']).toBe('13');
  });
});
