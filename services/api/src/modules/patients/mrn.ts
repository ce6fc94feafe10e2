/** Medical record numbers: `MRN-` + a sequence number (at least 6 digits) + a Luhn check digit. */
export const MRN_SYSTEM = 'urn:wintehr:mrn';
export const MR_TYPE = { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' };

/** Luhn (mod 10) check digit of a digit string. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatMrn(sequence: number | bigint | string): string {
  const n = String(sequence);
  if (!/^\d+$/.test(n)) throw new TypeError('MRN sequence must be a non-negative integer');
  const body = n.padStart(6, '0');
  return `MRN-${body}${luhnCheckDigit(body)}`;
}

/** True for a number this module generated (and not mistyped: the check digit catches one wrong digit). */
export function isGeneratedMrn(mrn: string): boolean {
  const m = /^MRN-(\d{6,})(\d)$/.exec(mrn);
  return !!m && luhnCheckDigit(m[1]!) === Number(m[2]);
}

/** The patient's MRN: ours first, else any identifier typed MR (demo data uses an OID system). */
export function mrnOf(p: fhir4.Patient): string | undefined {
  const ids = p.identifier ?? [];
  return (ids.find((i) => i.system === MRN_SYSTEM) ?? ids.find((i) => i.type?.coding?.some((c) => c.code === 'MR')))
    ?.value;
}
