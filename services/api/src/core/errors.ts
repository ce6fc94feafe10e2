/**
 * The one typed error hierarchy of the service. Handlers throw these (usually through the helpers at the
 * bottom); core/http/error-handler.ts is the only place that turns them into HTTP responses.
 */
export type ErrorDetails = Record<string, unknown> | unknown[] | undefined;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class AuthenticationError extends AppError {
  constructor(message = 'Authentication required', details?: ErrorDetails) {
    super(401, 'AUTHENTICATION_FAILED', message, details, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Insufficient permissions', details?: ErrorDetails) {
    super(403, 'INSUFFICIENT_PERMISSIONS', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super(404, 'RESOURCE_NOT_FOUND', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetails, code = 'CONFLICT') {
    super(409, code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'Request body too large') {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export class FhirValidationError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super(422, 'FHIR_VALIDATION_ERROR', message, details);
  }
}

export class RateLimitError extends AppError {
  constructor(retryAfterSeconds: number, message = 'Too many requests') {
    super(
      429,
      'RATE_LIMIT_EXCEEDED',
      message,
      { retryAfterSeconds },
      {
        'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
      },
    );
  }
}

/** A dependency (HAPI, PostgreSQL, Redis, a network adapter) cannot be reached or failed. */
export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(503, code, message, details, { 'Retry-After': '5' });
  }
}

export const badRequest = (message: string, details?: ErrorDetails) => new ValidationError(message, details);
export const unauthorized = (message?: string, details?: ErrorDetails) => new AuthenticationError(message, details);
export const forbidden = (message?: string, details?: ErrorDetails) => new ForbiddenError(message, details);
export const notFound = (resourceType: string, id: string) =>
  new NotFoundError(`${resourceType} with ID '${id}' not found`, { resourceType, resourceId: id });
export const conflict = (message: string, details?: ErrorDetails, code?: string) =>
  new ConflictError(message, details, code);
export const unprocessable = (message: string, details?: ErrorDetails) => new FhirValidationError(message, details);
export const hapiUnavailable = (message: string, details?: ErrorDetails) =>
  new ServiceUnavailableError('HAPI_UNAVAILABLE', message, details);
