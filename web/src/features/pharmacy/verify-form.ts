import type {
  DecisionAction,
  DrugSafetyFinding as Finding,
  RecordedDecision,
  VerifyDecision as DecisionInput,
} from '@wintehr/contracts';

export interface DecisionDraft {
  action?: DecisionAction;
  reason: string;
}
export type DecisionDrafts = Record<string, DecisionDraft>;

export const DECISION_LABELS: Record<DecisionAction, string> = {
  accept: 'Accept',
  override: 'Override',
  'contact-prescriber': 'Contact prescriber',
};

/** Mirrors the API: moderate or worse (unable-to-screen included) needs the pharmacist's decision. */
export function needsDecision(f: Pick<Finding, 'severity'>): boolean {
  return f.severity === 'contraindicated' || f.severity === 'major' || f.severity === 'moderate';
}

/** Drafts to start from: the decisions already recorded for findings the fresh screen still reports. */
export function initialDrafts(findings: readonly Finding[], recorded: readonly RecordedDecision[]): DecisionDrafts {
  const out: DecisionDrafts = {};
  for (const f of findings) {
    const r = recorded.find((d) => d.findingId === f.id);
    out[f.id] = r ? { action: r.action, reason: r.reason ?? '' } : { reason: '' };
  }
  return out;
}

/** Per finding, what still stops verification (same rules the API applies, so the user learns before sending). */
export function decisionProblems(findings: readonly Finding[], drafts: DecisionDrafts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) {
    const d = drafts[f.id];
    if (needsDecision(f) && !d?.action) out[f.id] = 'Choose a decision for this finding';
    else if (d?.action && d.action !== 'accept' && d.reason.trim().length < 5)
      out[f.id] = 'Give a reason of at least 5 characters';
  }
  return out;
}

/** The decisions to send: one per finding the pharmacist decided on. */
export function decisionsToSend(findings: readonly Finding[], drafts: DecisionDrafts): DecisionInput[] {
  const out: DecisionInput[] = [];
  for (const f of findings) {
    const d = drafts[f.id];
    if (!d?.action) continue;
    const reason = d.reason.trim();
    out.push({ findingId: f.id, action: d.action, ...(reason ? { reason } : {}) });
  }
  return out;
}

/** The verify outcome as a sentence for the status message. */
export function verifyOutcome(r: { verified: boolean; decisions: readonly { action: DecisionAction }[] }): string {
  if (r.verified) return 'Verified. The prescription can be dispensed.';
  return r.decisions.some((d) => d.action === 'contact-prescriber')
    ? 'Decisions recorded. The prescription waits for the prescriber; it stays claimed by you.'
    : 'Decisions recorded; the prescription is not verified yet.';
}
