export type QueryValue = string | number | boolean | undefined | null;

/** Builds "?a=1&b=x" from the defined, non-empty values only (empty filters are not sent). */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
