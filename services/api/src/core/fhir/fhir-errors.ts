import {
  AppError,
  ConflictError,
  FhirValidationError,
  NotFoundError,
  ServiceUnavailableError,
  hapiUnavailable,
} from '../errors';

export interface OutcomeIssue {
  severity: string;
  code: string;
  diagnostics?: string;
  expression?: string[];
}

/** The issues of an OperationOutcome body, or none when the body is something else. */
export function outcomeIssues(body: unknown): OutcomeIssue[] {
  const oo = body as Partial<fhir4.OperationOutcome> | undefined;
  if (!oo || oo.resourceType !== 'OperationOutcome' || !Array.isArray(oo.issue)) return [];
  return oo.issue.map((i) => ({
    severity: i.severity,
    code: i.code,
    ...(i.diagnostics ? { diagnostics: i.diagnostics } : {}),
    ...(i.expression ? { expression: i.expression } : {}),
  }));
}

function summary(issues: OutcomeIssue[], fallback: string): string {
  const first = issues.find((i) => i.severity === 'error' || i.severity === 'fatal') ?? issues[0];
  return first?.diagnostics ? first.diagnostics.slice(0, 500) : fallback;
}

/**
 * Maps a non-2xx HAPI answer to our errors. HAPI's own rejections of a resource (400 parse errors, 422
 * profile failures) are FHIR validation errors for the caller; 409/412 are version or reference conflicts;
 * anything 5xx means HAPI is not serving us.
 */
export function hapiStatusToError(status: number, body: unknown, what: string): AppError {
  const issues = outcomeIssues(body);
  const details = issues.length ? { issues } : undefined;
  if (status === 404 || status === 410) return new NotFoundError(summary(issues, `${what} not found`), details);
  if (status === 400 || status === 422)
    return new FhirValidationError(summary(issues, `HAPI rejected ${what}`), details);
  if (status === 409) return new ConflictError(summary(issues, `Conflict on ${what}`), details);
  if (status === 412)
    return new ConflictError(summary(issues, `Version conflict on ${what}`), details, 'VERSION_CONFLICT');
  if (status >= 500)
    return new ServiceUnavailableError('HAPI_SERVER_ERROR', `HAPI failed on ${what} (HTTP ${status})`, details);
  return new ServiceUnavailableError('HAPI_SERVER_ERROR', `Unexpected HAPI answer ${status} on ${what}`, details);
}

/** A request that never got an HTTP answer: refused, reset, timed out. */
export function networkError(err: unknown, what: string): AppError {
  const code = (err as { code?: string })?.code ?? 'UNKNOWN';
  const timedOut = /TIMEOUT/i.test(code);
  return hapiUnavailable(timedOut ? `HAPI did not answer ${what} in time` : `HAPI FHIR server is unreachable`, {
    cause: code,
  });
}
