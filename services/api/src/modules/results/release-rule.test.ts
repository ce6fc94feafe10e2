import { isReleased, UNRELEASED_STATUSES, withoutWithheld } from './release-rule';

const report = (
  id: string,
  status: fhir4.DiagnosticReport['status'],
  results: string[] = [],
): fhir4.DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id,
  status,
  code: { text: 'Panel' },
  result: results.map((r) => ({ reference: `Observation/${r}` })),
});
const lab = (id: string, status: fhir4.Observation['status'] = 'final'): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status,
  code: { text: 'K' },
  category: [{ coding: [{ code: 'laboratory' }] }],
});

describe('release on final (Cures Act)', () => {
  it('releases final, amended and corrected reports, nothing earlier or withdrawn', () => {
    const none = new Set<string>();
    expect(isReleased(report('a', 'final'), none)).toBe(true);
    expect(isReleased(report('a', 'amended'), none)).toBe(true);
    expect(isReleased(report('a', 'corrected'), none)).toBe(true);
    for (const s of ['registered', 'partial', 'preliminary', 'cancelled', 'entered-in-error', 'unknown'] as const)
      expect(isReleased(report('a', s), none)).toBe(false);
  });

  it('keeps a held final report back', () => {
    expect(isReleased(report('a', 'final'), new Set(['a']))).toBe(false);
    expect(isReleased(report('b', 'final'), new Set(['a']))).toBe(true);
  });

  it('drops withheld reports and their values from a bundle, keeps the rest', () => {
    const kept = withoutWithheld(
      [
        report('held', 'final', ['o1']),
        report('prelim', 'preliminary', ['o2']),
        report('ok', 'final', ['o3']),
        lab('o1'),
        lab('o2'),
        lab('o3'),
        lab('lone-prelim', 'preliminary'),
        { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p' } },
      ],
      new Set(['held']),
    );
    expect(kept.map((r) => r.id)).toEqual(['ok', 'o3', 'c']);
  });
});

describe('unreleased statuses', () => {
  it('are every DiagnosticReport status the rule does not release', () => {
    expect([...UNRELEASED_STATUSES].sort()).toEqual(
      ['appended', 'cancelled', 'entered-in-error', 'partial', 'preliminary', 'registered', 'unknown'].sort(),
    );
    for (const s of UNRELEASED_STATUSES) expect(isReleased({ id: 'r', status: s }, new Set())).toBe(false);
  });
});
