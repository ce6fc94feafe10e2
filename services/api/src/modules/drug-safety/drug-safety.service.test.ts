import { checkInteractions } from './drug-safety.service';
import { kb } from './test-helpers.test-util';

describe('checkInteractions', () => {
  it('maps findings to severity, drugs, description, management and source', () => {
    const r = checkInteractions(kb(), ['198211', '197517']);
    expect(r.screened).toEqual({ proposed: 2, active: 0, allergies: 0 });
    expect(r.findings[0]).toMatchObject({
      kind: 'drug-drug',
      severity: 'contraindicated',
      ruleId: 'onc-11-statin-strong-cyp3a4',
      drugs: [
        expect.objectContaining({ code: '198211', role: 'proposed' }),
        expect.objectContaining({ code: '197517', role: 'proposed' }),
      ],
      description: expect.stringContaining('Contraindicated interaction'),
      management: expect.any(String),
      source: expect.stringContaining('Phansalkar'),
    });
    expect(JSON.stringify(r)).not.toContain('null');
  });

  it('screens against a chart when one is given', () => {
    const chart = {
      active: [{ id: 'MedicationRequest/a', code: '198211', system: 'http://www.nlm.nih.gov/research/umls/rxnorm' }],
      allergies: [],
      patient: { ageYears: 70 },
      activeIds: ['MedicationRequest/a'],
    };
    const r = checkInteractions(kb(), ['197517'], chart, 'p1');
    expect(r).toMatchObject({
      patientId: 'p1',
      screened: { proposed: 1, active: 1, allergies: 0 },
      patient: { ageYears: 70 },
    });
    expect(r.findings.map((f) => f.ruleId)).toContain('onc-11-statin-strong-cyp3a4');
  });

  it('unknown codes become unable-to-screen findings', () => {
    expect(checkInteractions(kb(), ['999999999']).findings).toEqual([
      expect.objectContaining({
        kind: 'unable-to-screen',
        reason: 'unknown-code',
        drugs: [expect.objectContaining({ code: '999999999' })],
      }),
    ]);
  });
});
