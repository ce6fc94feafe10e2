import type { FindingView } from '../drug-safety/drug-safety.service';
import { evaluateDecisions, needsDecision } from './verify-decisions';

const f = (id: string, severity: FindingView['severity'], kind: FindingView['kind'] = 'drug-drug'): FindingView => ({
  id,
  kind,
  severity,
  drugs: [],
  description: id,
});
const at = '2026-06-15T10:00:00.000Z';

describe('pharmacist decisions on findings', () => {
  const findings = [
    f('ddi', 'major'),
    f('cs', 'info', 'controlled-substance'),
    f('minor', 'minor'),
    f('u', 'moderate', 'unable-to-screen'),
  ];

  it('needs a decision for moderate and worse only', () => {
    expect(findings.filter(needsDecision).map((x) => x.id)).toEqual(['ddi', 'u']);
  });
  it('verifies when every required finding is decided', () => {
    const r = evaluateDecisions(
      findings,
      [
        { findingId: 'ddi', action: 'override', reason: 'dose reduced, monitored' },
        { findingId: 'u', action: 'accept' },
      ],
      'user-1',
      at,
    );
    expect(r).toMatchObject({ ok: true, verified: true });
    if (r.ok)
      expect(r.decisions[0]).toEqual({
        findingId: 'ddi',
        kind: 'drug-drug',
        severity: 'major',
        action: 'override',
        reason: 'dose reduced, monitored',
        by: 'user-1',
        at,
      });
  });
  it('refuses when a required decision is missing', () => {
    expect(evaluateDecisions(findings, [{ findingId: 'ddi', action: 'accept' }], 'u', at)).toMatchObject({
      ok: false,
      code: 'DECISIONS_REQUIRED',
      findingIds: ['u'],
    });
  });
  it('refuses decisions on findings the current screen does not report', () => {
    expect(evaluateDecisions(findings, [{ findingId: 'gone', action: 'accept' }], 'u', at)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_FINDING',
      findingIds: ['gone'],
    });
  });
  it('an override or a call to the prescriber needs a reason', () => {
    expect(evaluateDecisions([f('ddi', 'major')], [{ findingId: 'ddi', action: 'override' }], 'u', at)).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
    });
    expect(
      evaluateDecisions(
        [f('ddi', 'major')],
        [{ findingId: 'ddi', action: 'contact-prescriber', reason: 'ok' }],
        'u',
        at,
      ),
    ).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
  });
  it('contact-prescriber records the decision but does not verify', () => {
    expect(
      evaluateDecisions(
        [f('ddi', 'major')],
        [{ findingId: 'ddi', action: 'contact-prescriber', reason: 'asking for a lower dose' }],
        'u',
        at,
      ),
    ).toMatchObject({ ok: true, verified: false });
  });
  it('no findings: verified with no decisions', () => {
    expect(evaluateDecisions([], [], 'u', at)).toEqual({ ok: true, verified: true, decisions: [] });
  });
});
