/** The business API's error shape: {error:{code,message,details,requestId,path}}. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string; path?: string };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** A failed API call, carrying what the user needs to see: the message and the request id for support. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(
    readonly status: number,
    body: ApiErrorBody | undefined,
    fallback?: string,
  ) {
    super(body?.error?.message ?? fallback ?? `Request failed (${status})`);
    this.name = 'ApiError';
    this.code = body?.error?.code ?? (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.details = body?.error?.details;
    this.requestId = body?.error?.requestId;
  }

  /** For 429 answers: how long the server asks us to wait, in whole seconds. */
  get retryAfterSeconds(): number | undefined {
    const v = (this.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return this.status === 429 && typeof v === 'number' ? Math.ceil(v) : undefined;
  }

  /** Field-level validation problems (400 with details [{field,message}]), if any. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem =>
        !!d &&
        typeof d === 'object' &&
        typeof (d as FieldProblem).field === 'string' &&
        typeof (d as FieldProblem).message === 'string',
    );
  }
}

export function isApiErrorBody(v: unknown): v is ApiErrorBody {
  return (
    !!v &&
    typeof v === 'object' &&
    'error' in v &&
    !!(v as ApiErrorBody).error &&
    typeof (v as ApiErrorBody).error.message === 'string'
  );
}

/** A problem as the user should read it: "body.password: too short" → "password: too short". */
export function describeFieldProblem(p: FieldProblem): string {
  return `${p.field.replace(/^(body|query|params)\./, '')}: ${p.message}`;
}
