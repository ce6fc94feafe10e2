/**
 * Syntax and check-digit validation of the code systems the chart accepts. These catch typos and made-up
 * codes before HAPI stores them; they do not prove a code exists in the current release of the terminology.
 * Shared so request schemas reject a bad code with a field-level 400 on the client and the API alike.
 */
export const CODE_SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  cvx: 'http://hl7.org/fhir/sid/cvx',
} as const;
export type CodeSystemName = keyof typeof CODE_SYSTEMS;

const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff: valid when the whole number (check digit included) checks to 0. SNOMED CT ids use it. */
export function verhoeffValid(num: string): boolean {
  let c = 0;
  const digits = num.split('').reverse().map(Number);
  for (let i = 0; i < digits.length; i++) c = D[c]![P[i % 8]![digits[i]!]!]!;
  return c === 0;
}

/** SNOMED CT concept id: 6–18 digits, no leading zero, partition 00 or 10 (concept), Verhoeff check digit. */
export function isSnomedConceptId(code: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(code)) return false;
  const partition = code.slice(-3, -1);
  return (partition === '00' || partition === '10') && verhoeffValid(code);
}

/** LOINC: 1–7 digits, a hyphen and a mod-10 check digit (e.g. 8867-4). */
export function isLoinc(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  const body = m[1]!;
  // LOINC's check: double every other digit starting from the rightmost, sum the digits, 10 - (sum mod 10).
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      sum += Math.floor(d / 10) + (d % 10);
    } else sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

/** ICD-10-CM: letter, digit, alphanumeric, optional dot and 1–4 more (U codes are WHO-only except U07.1). */
export function isIcd10Cm(code: string): boolean {
  return /^[A-TV-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(code) || code === 'U07.1';
}

/** RxNorm concept unique identifier: 1–8 digits, no leading zero. */
export const isRxcui = (code: string) => /^[1-9]\d{0,7}$/.test(code);

/** CDC CVX vaccine code: 1–3 digits. */
export const isCvx = (code: string) => /^\d{1,3}$/.test(code) && Number(code) > 0;

export function isValidCode(system: CodeSystemName, code: string): boolean {
  switch (system) {
    case 'snomed':
      return isSnomedConceptId(code);
    case 'loinc':
      return isLoinc(code);
    case 'icd10':
      return isIcd10Cm(code);
    case 'rxnorm':
      return isRxcui(code);
    case 'cvx':
      return isCvx(code);
  }
}
