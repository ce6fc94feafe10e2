import { NO_KNOWN_ALLERGY, type AllergyRecordState } from '@wintehr/contracts';

/**
 * "No known allergies" is a statement someone made (SNOMED 716186003), unlike an empty list, which only says nobody
 * asked. These pure rules keep the two apart and keep an NKA statement from contradicting a recorded allergy.
 */
const code = (c: fhir4.CodeableConcept | undefined) => c?.coding?.[0]?.code;
const NKA_CODES = new Set([NO_KNOWN_ALLERGY.code, '409137002' /* no known drug allergy */]);

export const isNka = (a: fhir4.AllergyIntolerance) =>
  (a.code?.coding ?? []).some((c) => c.system === NO_KNOWN_ALLERGY.system && NKA_CODES.has(c.code ?? ''));

/** Withdrawn entries stay in the history but leave every current list. */
export const isEnteredInError = (a: fhir4.AllergyIntolerance) => code(a.verificationStatus) === 'entered-in-error';

/** Still asserted: not withdrawn, not refuted, and active (a missing status counts as active). */
export const isCurrent = (a: fhir4.AllergyIntolerance) =>
  !isEnteredInError(a) &&
  code(a.verificationStatus) !== 'refuted' &&
  (a.clinicalStatus === undefined || code(a.clinicalStatus) === 'active');

export const activeAllergies = (items: readonly fhir4.AllergyIntolerance[]) =>
  items.filter((a) => !isNka(a) && isCurrent(a));
export const activeNka = (items: readonly fhir4.AllergyIntolerance[]) => items.filter((a) => isNka(a) && isCurrent(a));

/** What the chart can say about allergies: some, none (explicitly), or not recorded. */
export function allergyRecordState(items: readonly fhir4.AllergyIntolerance[]): AllergyRecordState {
  if (activeAllergies(items).length) return 'has-allergies';
  if (activeNka(items).length) return 'no-known-allergies';
  return 'not-recorded';
}

/** The NKA entry stops being current once a real allergy is on record (it stays in the history). */
export function retiredNka(nka: fhir4.AllergyIntolerance, replacedBy: string): fhir4.AllergyIntolerance {
  return {
    ...nka,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'inactive' }],
    },
    note: [...(nka.note ?? []), { text: `Superseded by ${replacedBy}`, time: new Date().toISOString() }],
  };
}
