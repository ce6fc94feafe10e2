import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DrugSafetyFinding as Finding } from '@wintehr/contracts';
import { decisionProblems, decisionsToSend, initialDrafts, needsDecision, verifyOutcome } from './verify-form';

const f = (id: string, severity: Finding['severity']): Finding => ({
  id,
  kind: 'drug-drug',
  severity,
  drugs: [],
  description: id,
});
const findings = [f('ddi', 'major'), f('dup', 'moderate'), f('cs', 'info')];

test('moderate and worse need a decision; minor and info do not', () => {
  assert.deepEqual(
    ['contraindicated', 'major', 'moderate', 'minor', 'info'].map((s) =>
      needsDecision({ severity: s as Finding['severity'] }),
    ),
    [true, true, true, false, false],
  );
});

test('every finding that needs one is asked for a decision; override and contact need a reason', () => {
  const drafts = initialDrafts(findings, []);
  assert.deepEqual(decisionProblems(findings, drafts), {
    ddi: 'Choose a decision for this finding',
    dup: 'Choose a decision for this finding',
  });
  drafts.ddi = { action: 'override', reason: 'ok' };
  drafts.dup = { action: 'accept', reason: '' };
  assert.deepEqual(decisionProblems(findings, drafts), { ddi: 'Give a reason of at least 5 characters' });
  drafts.ddi = { action: 'override', reason: '  Benefit outweighs risk  ' };
  drafts.cs = { action: 'contact-prescriber', reason: '' };
  assert.deepEqual(
    decisionProblems(findings, drafts),
    { cs: 'Give a reason of at least 5 characters' },
    'an optional decision is still checked',
  );
});

test('only decided findings are sent, reasons trimmed', () => {
  const drafts = {
    ddi: { action: 'override' as const, reason: '  Benefit outweighs risk ' },
    dup: { action: 'accept' as const, reason: ' ' },
    cs: { reason: '' },
  };
  assert.deepEqual(decisionsToSend(findings, drafts), [
    { findingId: 'ddi', action: 'override', reason: 'Benefit outweighs risk' },
    { findingId: 'dup', action: 'accept' },
  ]);
});

test('recorded decisions prefill the drafts only for findings the fresh screen still reports', () => {
  const drafts = initialDrafts(findings, [
    {
      findingId: 'dup',
      kind: 'duplicate-therapy',
      severity: 'moderate',
      action: 'contact-prescriber',
      reason: 'Asked Dr W',
      by: 'u',
      at: 't',
    },
    { findingId: 'gone', kind: 'drug-drug', severity: 'major', action: 'accept', by: 'u', at: 't' },
  ]);
  assert.deepEqual(drafts, {
    ddi: { reason: '' },
    dup: { action: 'contact-prescriber', reason: 'Asked Dr W' },
    cs: { reason: '' },
  });
});

test('the outcome sentence says whether it can be dispensed', () => {
  assert.match(verifyOutcome({ verified: true, decisions: [] }), /can be dispensed/);
  assert.match(
    verifyOutcome({ verified: false, decisions: [{ action: 'contact-prescriber' }] }),
    /waits for the prescriber/,
  );
});
