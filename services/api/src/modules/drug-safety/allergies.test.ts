import { checkMedicationSafety } from './check';
import { SNOMED, kb, ofKind, rx, rxAllergy, snomedAllergy } from './test-helpers.test-util';
import type { AllergyRef } from './types';

const PENICILLIN = (extra: Partial<AllergyRef> = {}) =>
  snomedAllergy('91936005', 'Allergy to penicillin', {
    criticality: 'high',
    verificationStatus: 'confirmed',
    ...extra,
  });

function screen(code: string, allergy: AllergyRef) {
  return checkMedicationSafety(kb(), { proposed: [rx(code)], allergies: [allergy] });
}
const allergyFindings = (code: string, allergy: AllergyRef) => ofKind(screen(code, allergy), 'drug-allergy');

describe('drug-allergy screening', () => {
  it('penicillin allergy (SNOMED class code) + amoxicillin 500 MG Oral Capsule -> contraindicated when criticality is high', () => {
    const [f, ...rest] = allergyFindings('308191', PENICILLIN());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'contraindicated',
      matchType: 'class',
      certainty: 'confirmed',
      ingredient: { rxcui: '723', name: 'amoxicillin' },
      allergyClass: { id: 'penicillins' },
      allergy: { criticality: 'high', verificationStatus: 'confirmed', display: 'Allergy to penicillin' },
    });
    expect(f!.message).toMatch(
      /amoxicillin 500 MG Oral Capsule contains amoxicillin.*confirmed high-criticality allergy recorded as "Allergy to penicillin"/,
    );
  });

  it('low or unassessed criticality -> major', () => {
    expect(allergyFindings('308191', PENICILLIN({ criticality: 'low' }))[0]!.severity).toBe('major');
    expect(allergyFindings('308191', PENICILLIN({ criticality: 'unable-to-assess' }))[0]!.severity).toBe('major');
  });

  it('unconfirmed allergies are still reported, with lower certainty in the text', () => {
    const [f] = allergyFindings('308191', PENICILLIN({ verificationStatus: 'unconfirmed' }));
    expect(f).toMatchObject({ certainty: 'unconfirmed', severity: 'contraindicated' });
    expect(f!.message).toMatch(/an unconfirmed high-criticality allergy/);
  });

  it.each(['refuted', 'entered-in-error'] as const)('%s allergies are ignored', (verificationStatus) => {
    expect(screen('308191', PENICILLIN({ verificationStatus }))).toEqual([]);
  });

  it('resolved allergies are ignored', () => {
    expect(screen('308191', PENICILLIN({ clinicalStatus: 'resolved' }))).toEqual([]);
  });

  it('penicillin allergy -> cephalosporin is a cross-sensitivity of lower severity', () => {
    const [low] = allergyFindings('309112', PENICILLIN({ criticality: 'low' })); // cephalexin 250 MG Oral Capsule
    expect(low).toMatchObject({
      matchType: 'cross-sensitivity',
      severity: 'moderate',
      allergyClass: { id: 'cephalosporins' },
    });
    expect(low!.note).toMatch(/1-2%/);
    expect(allergyFindings('309112', PENICILLIN())[0]!.severity).toBe('major'); // high criticality raises one level
    expect(allergyFindings('1722934', PENICILLIN({ criticality: 'low' }))[0]).toMatchObject({
      matchType: 'cross-sensitivity',
      severity: 'minor',
    }); // meropenem
  });

  it('an allergy coded with an RxNorm ingredient matches that ingredient, its class members and combination products', () => {
    const amox = rxAllergy('723', { criticality: 'low', verificationStatus: 'confirmed' });
    expect(allergyFindings('562508', amox)[0]).toMatchObject({
      matchType: 'ingredient',
      severity: 'major',
      ingredient: { name: 'amoxicillin' },
    }); // amoxicillin/clavulanate
    expect(allergyFindings('308212', amox)[0]).toMatchObject({
      matchType: 'class',
      allergyClass: { id: 'penicillins' },
    }); // ampicillin
    expect(allergyFindings('757968', amox)[0]).toMatchObject({ matchType: 'ingredient' }); // pack containing amoxicillin
  });

  it('an allergy coded with any RxNorm term type resolves through its ingredients', () => {
    expect(allergyFindings('308191', rxAllergy('308182'))[0]).toMatchObject({ matchType: 'ingredient' }); // allergy recorded as an SCD
    expect(allergyFindings('198335', rxAllergy('10831'))[0]).toMatchObject({ matchType: 'ingredient' }); // MIN sulfamethoxazole / trimethoprim
    expect(allergyFindings('834061', rxAllergy('7980'))[0]).toMatchObject({ matchType: 'class' }); // penicillin G allergy, penicillin V
  });

  it('free-text allergies resolve through class names, synonyms, ingredient and brand names', () => {
    expect(allergyFindings('198335', { text: 'Sulfa drugs' })[0]).toMatchObject({
      matchType: 'class',
      allergyClass: { id: 'sulfonamide_antibiotics' },
    });
    expect(allergyFindings('308191', { text: 'Penicillin allergy' })[0]).toMatchObject({
      allergyClass: { id: 'penicillins' },
    });
    expect(allergyFindings('198211', { text: 'Zocor' })[0]).toMatchObject({
      matchType: 'ingredient',
      ingredient: { name: 'simvastatin' },
    });
    expect(allergyFindings('197806', { text: 'allergic to aspirin' })[0]).toMatchObject({
      matchType: 'class',
      allergyClass: { id: 'nsaids' },
    });
  });

  it('aspirin allergy: NSAIDs match the class, COX-2 inhibitors only as a minor cross-sensitivity', () => {
    const asa = snomedAllergy('293586001', 'Allergy to aspirin', { criticality: 'low' });
    expect(allergyFindings('197806', asa)[0]).toMatchObject({ matchType: 'class', severity: 'major' }); // ibuprofen
    expect(allergyFindings('205323', asa)[0]).toMatchObject({ matchType: 'cross-sensitivity', severity: 'minor' }); // celecoxib
  });

  it('statin class allergy (VSAC SNOMED substance code)', () => {
    const f = allergyFindings('198211', snomedAllergy('372912004', 'HMG-CoA reductase inhibitor'))[0];
    expect(f).toMatchObject({ matchType: 'class', allergyClass: { id: 'statins' } });
  });

  it('allergy checks also apply to locally acting products', () => {
    expect(allergyFindings('309307', rxAllergy('2551'))[0]).toMatchObject({ matchType: 'ingredient' }); // ciprofloxacin eye drops
  });

  it('an allergy that cannot be mapped is reported as unable-to-screen, never silently dropped', () => {
    const f = ofKind(
      screen('308191', { codings: [{ system: SNOMED, code: '91935009', display: 'Allergy to peanuts' }] }),
      'unable-to-screen',
    );
    expect(f).toMatchObject([{ subject: 'allergy', reason: 'unmapped-allergy', severity: 'moderate' }]);
    expect(f[0]!.message).toMatch(/NOT screened/);
    const g = ofKind(screen('308191', snomedAllergy('416098002', 'Drug allergy')), 'unable-to-screen');
    expect(g).toMatchObject([{ subject: 'allergy', reason: 'non-specific-allergy' }]);
  });

  it('a "no known drug allergy" entry produces no finding', () => {
    expect(screen('308191', snomedAllergy('409137002', 'No known drug allergy'))).toEqual([]);
  });

  it('unrelated allergy and drug produce nothing', () => {
    expect(screen('314076', PENICILLIN())).toEqual([]); // lisinopril
  });
});
