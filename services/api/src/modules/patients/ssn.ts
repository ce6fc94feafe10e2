/** US Social Security numbers: stored only as a Patient identifier, never returned unmasked by the API. */
export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';

/** ***-**-1234: only the last four digits survive. */
export function maskSsn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `***-**-${digits.slice(-4)}` : '***-**-****';
}

/** A copy of the Patient with every SSN identifier value masked: what leaves the API. */
export function maskPatientSsn(p: fhir4.Patient): fhir4.Patient {
  if (!p.identifier?.some(isSsn)) return p;
  return { ...p, identifier: p.identifier.map((i) => (isSsn(i) ? { ...i, value: maskSsn(i.value) } : i)) };
}

export function isSsn(i: fhir4.Identifier): boolean {
  return i.system === SSN_SYSTEM || !!i.type?.coding?.some((c) => c.code === 'SS');
}
