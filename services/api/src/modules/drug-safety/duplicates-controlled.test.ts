import { checkMedicationSafety } from './check';
import { kb, ofKind, rx } from './test-helpers.test-util';

const check = (proposed: string[], active: string[] = []) =>
  checkMedicationSafety(kb(), { proposed: proposed.map((c) => rx(c)), active: active.map((c) => rx(c)) });

describe('duplicate therapy', () => {
  it('same ingredient in two products (acetaminophen + hydrocodone/acetaminophen)', () => {
    const [d] = ofKind(check(['857002'], ['313782']), 'duplicate-therapy');
    expect(d).toMatchObject({
      basis: 'ingredient',
      severity: 'moderate',
      ingredients: [{ rxcui: '161', name: 'acetaminophen' }],
    });
    expect(d!.message).toMatch(/both contain acetaminophen/);
  });

  it('same therapeutic class (two SSRIs, two statins, two PPIs)', () => {
    expect(ofKind(check(['312941'], ['248642']), 'duplicate-therapy')[0]).toMatchObject({
      basis: 'therapeutic-class',
      classes: [{ id: 'ssri' }],
    });
    expect(ofKind(check(['198211'], ['904475']), 'duplicate-therapy')[0]).toMatchObject({
      classes: [{ id: 'statin' }],
    });
    expect(ofKind(check(['198051'], ['314200']), 'duplicate-therapy')[0]).toMatchObject({ classes: [{ id: 'ppi' }] });
  });

  it('the same drug proposed again is a duplicate', () => {
    expect(ofKind(check(['198211'], ['152923']), 'duplicate-therapy')[0]).toMatchObject({ basis: 'ingredient' }); // simvastatin SCD vs Zocor SBD
  });

  it('proposed medications are compared with each other', () => {
    expect(ofKind(check(['312941', '248642']), 'duplicate-therapy')).toHaveLength(1);
  });

  it('a locally acting product does not duplicate a systemic one (timolol eye drops vs oral metoprolol)', () => {
    expect(check(['1923428'], ['866514'])).toEqual([]);
  });

  it('no class duplicate is added when an interaction already covers the pair', () => {
    const f = check(['312347'], ['859193']); // phenelzine + selegiline
    expect(ofKind(f, 'drug-drug').map((x) => x.ruleId)).toEqual(['maoi-maoi']);
    expect(ofKind(f, 'duplicate-therapy')).toEqual([]);
  });
});

describe('controlled substances', () => {
  it.each([
    ['oxycodone 5 MG Oral Tablet', '1049621', 'II'],
    ['hydrocodone/acetaminophen tablet', '857002', 'II'],
    ['mixed amphetamine salts', '541363', 'II'],
    ['methylphenidate 10 MG', '1091150', 'II'],
    ['acetaminophen/codeine 300/30 tablet', '993781', 'III'],
    ['buprenorphine/naloxone sublingual tablet', '351267', 'III'],
    ['alprazolam 0.5 MG', '308048', 'IV'],
    ['lorazepam 1 MG', '197901', 'IV'],
    ['zolpidem 10 MG', '854873', 'IV'],
    ['tramadol 50 MG', '835603', 'IV'],
    ['codeine/guaifenesin oral solution', '995868', 'V'],
    ['pregabalin 100 MG', '483438', 'V'],
  ])('%s is schedule %s', (_l, code, schedule) => {
    const [f] = ofKind(check([code]), 'controlled-substance');
    expect(f).toMatchObject({ schedule, severity: 'info' });
    expect(f!.message).toMatch(new RegExp(`Schedule ${schedule}\\b`));
  });

  it('is reported for proposed medications only', () => {
    expect(ofKind(check(['314076'], ['1049621']), 'controlled-substance')).toEqual([]);
  });

  it('non-controlled drugs produce no controlled-substance finding', () => {
    expect(ofKind(check(['314076']), 'controlled-substance')).toEqual([]);
  });
});
