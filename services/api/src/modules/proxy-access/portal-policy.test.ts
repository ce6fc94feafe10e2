import { PORTAL_AREAS } from '@wintehr/contracts';
import { areasFor, tierAllows } from './portal-policy';

describe('portal tier policy', () => {
  it('gives the patient and a full proxy every area', () => {
    for (const area of PORTAL_AREAS) {
      expect(tierAllows('self', area)).toBe(true);
      expect(tierAllows('full', area)).toBe(true);
    }
    expect(areasFor('full')).toEqual([...PORTAL_AREAS]);
  });

  it("keeps an adolescent's confidential areas from a limited proxy", () => {
    for (const area of ['notes', 'results', 'problems', 'medications', 'refills', 'access-log', 'download'] as const)
      expect(tierAllows('limited', area)).toBe(false);
    for (const area of ['allergies', 'immunizations', 'appointments', 'coverage', 'messages'] as const)
      expect(tierAllows('limited', area)).toBe(true);
    expect(areasFor('limited')).not.toContain('results');
  });
});
