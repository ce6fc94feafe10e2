/**
 * CDS Hooks prefetch templates: `{{context.<name>}}` and the user tokens (`{{userPractitionerId}}`,
 * `{{userPractitionerRoleId}}`, `{{userPatientId}}`, `{{userRelatedPersonId}}`) are replaced by the request's values.
 * A token that has no value for this request makes the template unresolvable: the key is then neither fetched nor
 * sent, rather than sent with an empty parameter that would widen the search.
 */
const TOKEN = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;
const USER_TOKENS: Record<string, string> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

function tokenValue(name: string, context: Readonly<Record<string, unknown>>): string | undefined {
  if (name.startsWith('context.')) {
    const v = context[name.slice('context.'.length)];
    if (typeof v === 'string' && v) return encodeURIComponent(v);
    if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' && x))
      return v.map((x: string) => encodeURIComponent(x)).join(',');
    return undefined;
  }
  const type = USER_TOKENS[name];
  if (!type) return undefined;
  const userId = context.userId;
  if (typeof userId !== 'string') return undefined;
  const [t, id] = userId.split('/');
  return t === type && id ? encodeURIComponent(id) : undefined;
}

/** The template with every token replaced, or undefined when a token cannot be resolved for this request. */
export function resolvePrefetchTemplate(
  template: string,
  context: Readonly<Record<string, unknown>>,
): string | undefined {
  let unresolved = false;
  const out = template.replace(TOKEN, (_m, name: string) => {
    const v = tokenValue(name, context);
    if (v === undefined) unresolved = true;
    return v ?? '';
  });
  return unresolved ? undefined : out;
}

/** Builds a relative FHIR query from a type and parameters, leaving `{{...}}` tokens unencoded. */
export function prefetchQuery(path: string, params: Readonly<Record<string, string | number>> = {}): string {
  const q = Object.entries(params)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${String(v).includes('{{') ? String(v) : encodeURIComponent(String(v)).replace(/%2C/g, ',')}`,
    )
    .join('&');
  return q ? `${path}?${q}` : path;
}
