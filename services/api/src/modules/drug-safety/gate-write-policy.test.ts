import { EXT_SAFETY_OVERRIDE } from './override-policy';
import { checkMedicationSafety } from './check';
import { decideGateWrite, overrideKeyOf, overrideOf, refusalIssues } from './gate-write-policy';
import { kb, rx, snomedAllergy } from './test-helpers.test-util';
import type { Finding } from './types';

const SIMVASTATIN_40 = '198211';
const CLARITHROMYCIN_500 = '197517';
const AMOXICILLIN_500 = '308192';
const SERTRALINE_50 = '312941';
const SUMATRIPTAN_50 = '313161';
const LISINOPRIL_10 = '314076';

const penicillinAllergy = snomedAllergy('91936005', 'Allergy to penicillin', {
  id: 'AllergyIntolerance/a1',
  criticality: 'high',
  verificationStatus: 'confirmed',
});

function screen(proposed: string, active: string[], allergies = [penicillinAllergy]): Finding[] {
  return checkMedicationSafety(kb(), {
    proposed: [rx(proposed)],
    active: active.map((c, i) => rx(c, `MedicationRequest/m${i}`)),
    allergies,
  });
}

function mr(override?: { reason?: string; rules?: string[] }): fhir4.MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    ...(override
      ? {
          extension: [
            {
              url: EXT_SAFETY_OVERRIDE,
              extension: [
                ...(override.reason !== undefined ? [{ url: 'reason', valueString: override.reason }] : []),
                ...(override.rules ?? []).map((r) => ({ url: 'rule', valueString: r })),
              ],
            },
          ],
        }
      : {}),
  };
}

describe('gate write policy', () => {
  const ddi = screen(CLARITHROMYCIN_500, [SIMVASTATIN_40]);
  const allergy = screen(AMOXICILLIN_500, [LISINOPRIL_10]);

  it.each([
    ['a contraindicated interaction', ddi, ['onc-11-statin-strong-cyp3a4']],
    ['a drug-allergy conflict', allergy, ['drug-allergy:AllergyIntolerance/a1']],
  ])('refuses %s without an override, naming each finding by its override code', (_label, findings, keys) => {
    const d = decideGateWrite(findings, undefined, true);
    expect(d).toMatchObject({ outcome: 'refuse', reason: 'OVERRIDE_REQUIRED' });
    if (d.outcome !== 'refuse') throw new Error('expected a refusal');
    expect(d.blocking.map(overrideKeyOf)).toEqual(keys);
  });

  it('allows non-blocking findings (moderate, non-interruptive interaction; nothing at all)', () => {
    const moderate = screen(SUMATRIPTAN_50, [SERTRALINE_50], []);
    expect(moderate.some((f) => f.kind === 'drug-drug' && f.severity === 'moderate')).toBe(true);
    expect(decideGateWrite(moderate, undefined, false)).toEqual({ outcome: 'allow', overridden: [] });
    expect(decideGateWrite(screen(LISINOPRIL_10, [], []), undefined, false)).toEqual({
      outcome: 'allow',
      overridden: [],
    });
  });

  it('an unresolvable code is not screened and does not block', () => {
    const f = checkMedicationSafety(kb(), {
      proposed: [{ codings: [], display: 'free text drug' }],
      active: [rx(SIMVASTATIN_40, 'MedicationRequest/m0')],
    });
    expect(f.map((x) => x.kind)).toEqual(['unable-to-screen']);
    expect(decideGateWrite(f, undefined, false).outcome).toBe('allow');
  });

  it.each([
    [
      'the override names every finding',
      { reason: 'short course, will hold simvastatin', rules: ['onc-11-statin-strong-cyp3a4'] },
      true,
      { outcome: 'allow' },
    ],
    [
      'the override misses a finding',
      { reason: 'short course, will hold simvastatin', rules: ['some-other-rule'] },
      true,
      { outcome: 'refuse', reason: 'OVERRIDE_INCOMPLETE' },
    ],
    [
      'the user may not prescribe',
      { reason: 'short course, will hold simvastatin', rules: ['onc-11-statin-strong-cyp3a4'] },
      false,
      { outcome: 'refuse', reason: 'OVERRIDE_NOT_PERMITTED' },
    ],
    [
      'the reason is too short',
      { reason: 'ok', rules: ['onc-11-statin-strong-cyp3a4'] },
      true,
      { outcome: 'refuse', reason: 'OVERRIDE_REQUIRED' },
    ],
    [
      'the reason is missing',
      { rules: ['onc-11-statin-strong-cyp3a4'] },
      true,
      { outcome: 'refuse', reason: 'OVERRIDE_REQUIRED' },
    ],
  ])('override: %s', (_label, override, mayOverride, expected) => {
    expect(decideGateWrite(ddi, overrideOf(mr(override)), mayOverride)).toMatchObject(expected);
  });

  it('an accepted override lists what it overrode', () => {
    const d = decideGateWrite(
      allergy,
      overrideOf(mr({ reason: 'tolerated amoxicillin in 2023', rules: ['drug-allergy:AllergyIntolerance/a1'] })),
      true,
    );
    expect(d.outcome).toBe('allow');
    if (d.outcome === 'allow') expect(d.overridden.map((f) => f.kind)).toEqual(['drug-allergy']);
  });

  it('refusal issues are business-rule issues; what the order conflicts with is shown only when the token may read it', () => {
    const d = decideGateWrite(allergy, undefined, true);
    if (d.outcome !== 'refuse') throw new Error('expected a refusal');
    const [shown] = refusalIssues(d.blocking, { allergies: true, medications: true });
    expect(shown).toMatchObject({
      severity: 'error',
      code: 'business-rule',
      details: { coding: [{ code: 'drug-allergy:AllergyIntolerance/a1' }] },
    });
    expect(shown!.diagnostics).toContain('Allergy to penicillin');
    const [hidden] = refusalIssues(d.blocking, { allergies: false, medications: true });
    expect(hidden!.diagnostics).not.toContain('penicillin');
    expect(hidden!.details!.coding![0]!.code).toBe('drug-allergy:AllergyIntolerance/a1');
  });

  it('a duplicate of a chart medication is named by that medication', () => {
    const dup = screen(SIMVASTATIN_40, [SIMVASTATIN_40], []).filter((f) => f.kind === 'duplicate-therapy');
    expect(dup.map(overrideKeyOf)).toEqual(['duplicate-therapy:MedicationRequest/m0']);
  });
});
