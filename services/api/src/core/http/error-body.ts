import { AppError, type ErrorDetails } from '../errors';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetails;
    timestamp: string;
    path: string;
    requestId: string;
  };
}

/** The business API's single error shape (seed 004 §6.5). */
export function toErrorBody(err: AppError, path: string, requestId: string, now = new Date()): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details !== undefined ? { details: err.details } : {}),
      timestamp: now.toISOString(),
      path,
      requestId,
    },
  };
}

const ISSUE_CODE_BY_STATUS: Record<number, fhir4.OperationOutcomeIssue['code']> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'conflict',
  413: 'too-long',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

/** The same error for FHIR endpoints, where clients expect an OperationOutcome. */
export function toOperationOutcome(err: AppError, requestId: string): fhir4.OperationOutcome {
  const carried = (err.details as { issues?: fhir4.OperationOutcomeIssue[] } | undefined)?.issues;
  const issue: fhir4.OperationOutcomeIssue[] = [
    {
      severity: err.status >= 500 ? 'fatal' : 'error',
      code: ISSUE_CODE_BY_STATUS[err.status] ?? 'exception',
      details: { coding: [{ system: 'urn:wintehr:error-code', code: err.code }], text: err.message },
      diagnostics: `${err.message} (requestId ${requestId})`,
    },
  ];
  if (Array.isArray(carried)) issue.push(...carried);
  return { resourceType: 'OperationOutcome', issue };
}
