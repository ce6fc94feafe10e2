import { NO_KNOWN_ALLERGY } from '@wintehr/contracts';
import { activeAllergies, allergyRecordState, isCurrent, isNka, retiredNka } from './allergy-rules';

const status = (cs: string, code: string) => ({ coding: [{ system: `http://x/${cs}`, code }] });
const allergy = (over: Partial<fhir4.AllergyIntolerance> = {}): fhir4.AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  patient: { reference: 'Patient/p' },
  code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980' }] },
  clinicalStatus: status('clinical', 'active'),
  verificationStatus: status('verification', 'confirmed'),
  ...over,
});
const nka = (over: Partial<fhir4.AllergyIntolerance> = {}) =>
  allergy({ id: 'n1', code: { coding: [NO_KNOWN_ALLERGY] }, ...over });

describe('no known allergies versus not recorded', () => {
  it('an empty chart is "not recorded", an NKA entry is "no known allergies"', () => {
    expect(allergyRecordState([])).toBe('not-recorded');
    expect(allergyRecordState([nka()])).toBe('no-known-allergies');
    expect(isNka(nka())).toBe(true);
    expect(isNka(allergy())).toBe(false);
  });
  it('an active allergy wins over everything', () => {
    expect(allergyRecordState([nka(), allergy()])).toBe('has-allergies');
  });
  it('withdrawn, refuted, inactive and resolved entries do not count', () => {
    const gone = [
      allergy({ verificationStatus: status('v', 'entered-in-error'), clinicalStatus: undefined }),
      allergy({ verificationStatus: status('v', 'refuted') }),
      allergy({ clinicalStatus: status('c', 'inactive') }),
      allergy({ clinicalStatus: status('c', 'resolved') }),
    ];
    expect(gone.map(isCurrent)).toEqual([false, false, false, false]);
    expect(activeAllergies(gone)).toEqual([]);
    expect(allergyRecordState(gone)).toBe('not-recorded');
    expect(allergyRecordState([...gone, nka()])).toBe('no-known-allergies');
  });
  it('a retired NKA entry is inactive and says what replaced it', () => {
    const r = retiredNka(nka(), 'AllergyIntolerance/a9');
    expect(isCurrent(r)).toBe(false);
    expect(allergyRecordState([r])).toBe('not-recorded');
    expect(r.note?.at(-1)?.text).toBe('Superseded by AllergyIntolerance/a9');
  });
});
