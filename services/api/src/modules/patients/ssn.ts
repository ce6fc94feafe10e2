/** US Social Security numbers: stored only as a Patient identifier, never returned unmasked by the API. */
export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';

/**
 * "123-45-6789" or "123456789" → "123-45-6789"; undefined for something that is not a possible SSN
 * (area 000, 666 or 9xx, group 00, serial 0000 are never issued). Demo data uses the 999 range on purpose,
 * so `allowTestRange` lets callers accept it.
 */
export function normalizeSsn(input: string, allowTestRange = false): string | undefined {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(input.trim());
  if (!m) return undefined;
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || group === '00' || serial === '0000') return undefined;
  if (area.startsWith('9') && !allowTestRange) return undefined;
  return `${area}-${group}-${serial}`;
}

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
