/** Display helpers shared by the screens. Pure. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "MRN-0000042" stays as it is; a bare number gets its label, so it is never mistaken for another id. */
export function mrnText(mrn: string | undefined): string | undefined {
  if (!mrn) return undefined;
  return /^MRN/i.test(mrn) ? mrn : `MRN ${mrn}`;
}

/** Whole years between a birth date (YYYY-MM-DD) and now. */
export function ageInYears(birthDate: string | undefined, now = new Date()): number | undefined {
  if (!birthDate || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate)) return undefined;
  const [y, m = 1, d = 1] = birthDate.split('-').map(Number) as [number, number?, number?];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age >= 0 ? age : undefined;
}

/** A datetime-local input value ("2026-11-23T10:00") → ISO with offset, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A CodeableConcept as a person reads it. */
export function conceptText(c: fhir4.CodeableConcept | undefined): string {
  return c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '—';
}
