/** The business API's error shape (seed 004 §6.5), surfaced to users as-is. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody | undefined) {
    super(body?.error.message ?? `Request failed (${status})`);
  }
}

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError(res.status, body as ApiErrorBody | undefined);
  return body as T;
}
