import { checkMedicationSafety } from './check';
import { severityRank } from './severity';
import { NDC, RXNORM, kb, ofKind, recallPairs, rx, snomedAllergy } from './test-helpers.test-util';
import type { SafetyCheckInput } from './types';

describe('checkMedicationSafety', () => {
  it('reports unknown codes as unable-to-screen for proposed and active medications', () => {
    const f = checkMedicationSafety(kb(), {
      proposed: [{ id: 'p1', code: '999999999', system: RXNORM, display: 'Mystery drug' }],
      active: [{ id: 'a1', code: '99999-9999-99', system: NDC }],
    });
    const u = ofKind(f, 'unable-to-screen');
    expect(u.map((x) => [x.drug!.role, x.reason, x.drug!.ref])).toEqual([
      ['active', 'unknown-code', 'a1'],
      ['proposed', 'unknown-code', 'p1'],
    ]);
    expect(u[1]!.message).toMatch(/Unable to screen proposed medication "Mystery drug".*NOT checked/);
  });

  it('reports missing codes and unsupported code systems', () => {
    const f = ofKind(
      checkMedicationSafety(kb(), {
        proposed: [{ display: 'free text drug' }, { code: 'ABC', system: 'http://example.org/local-formulary' }],
      }),
      'unable-to-screen',
    );
    expect(f.map((x) => x.reason).sort()).toEqual(['no-code', 'unsupported-system']);
  });

  it('reports products that can only be partly screened', () => {
    const [f] = ofKind(checkMedicationSafety(kb(), { proposed: [rx('243463')] }), 'unable-to-screen');
    expect(f).toMatchObject({ reason: 'partial-ingredients', unmapped: ['aluminum hydroxide'] });
  });

  it('accepts NDC codes and CodeableConcept-style codings', () => {
    const f = checkMedicationSafety(kb(), {
      proposed: [{ codings: [{ system: NDC, code: '00615-8056-05', display: 'Simvastatin 40mg tab' }] }],
      active: [
        {
          codings: [
            { system: 'http://example.org/local', code: 'CLA' },
            { system: RXNORM, code: '197517' },
          ],
        },
      ],
    });
    const [d] = ofKind(f, 'drug-drug');
    expect(d).toMatchObject({ ruleId: 'onc-11-statin-strong-cyp3a4' });
    expect(d!.drugs[0]).toMatchObject({
      system: 'ndc',
      code: '00615-8056-05',
      rxcui: '198211',
      display: 'Simvastatin 40mg tab',
    });
  });

  it('checks proposed against active and against each other, but not active against active', () => {
    const activeOnly = checkMedicationSafety(kb(), { proposed: [rx('314076')], active: [rx('198211'), rx('197517')] });
    expect(ofKind(activeOnly, 'drug-drug')).toEqual([]);
    const bothProposed = checkMedicationSafety(kb(), { proposed: [rx('198211'), rx('197517')] });
    expect(ofKind(bothProposed, 'drug-drug').map((f) => f.ruleId)).toEqual(['onc-11-statin-strong-cyp3a4']);
  });

  it('is deterministic and sorted by severity', () => {
    const input: SafetyCheckInput = {
      proposed: [rx('197517', 'p1'), rx('1049621', 'p2')],
      active: [rx('198211', 'a1'), rx('197901', 'a2'), rx('855332', 'a3'), rx('312941', 'a4'), rx('200371', 'a5')],
      allergies: [
        snomedAllergy('91936005', 'Allergy to penicillin', { criticality: 'high', verificationStatus: 'confirmed' }),
      ],
      patient: { ageYears: 70, egfr: 50 },
    };
    const a = checkMedicationSafety(kb(), input);
    const b = checkMedicationSafety(kb(), {
      ...input,
      active: [...input.active!].reverse(),
      proposed: [...input.proposed].reverse(),
    });
    expect(b.map((f) => f.id)).toEqual(a.map((f) => f.id));
    const ranks = a.map((f) => severityRank(f.severity));
    expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);
    expect(new Set(a.map((f) => f.id)).size).toBe(a.length);
    expect(a[0]).toMatchObject({ kind: 'drug-drug', severity: 'contraindicated' });
    for (const f of a) expect(f.message.length).toBeGreaterThan(20);
  });

  it('produces no finding for known non-interacting pairs', () => {
    for (const [a, , b] of recallPairs().nonInteracting) {
      const f = checkMedicationSafety(kb(), { proposed: [rx(a)], active: [rx(b)] }).filter(
        (x) => x.kind !== 'controlled-substance',
      );
      expect([a, b, f.map((x) => x.id)]).toEqual([a, b, []]);
    }
    expect(checkMedicationSafety(kb(), { proposed: [rx('314076')], active: [rx('861007')] })).toEqual([]); // lisinopril + metformin
  });

  it('an empty medication list yields no findings', () => {
    expect(checkMedicationSafety(kb(), { proposed: [] })).toEqual([]);
  });
});
