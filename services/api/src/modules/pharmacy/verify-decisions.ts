import type { RecordedDecision, VerifyDecision as DecisionInput } from '@wintehr/contracts';
import type { FindingView } from '../drug-safety/drug-safety.service';

/** Findings the pharmacist must decide on before dispensing: anything moderate or worse (incl. unable-to-screen). */
export function needsDecision(f: Pick<FindingView, 'severity'>): boolean {
  return f.severity === 'contraindicated' || f.severity === 'major' || f.severity === 'moderate';
}

export type DecisionEvaluation =
  | { ok: true; verified: boolean; decisions: RecordedDecision[] }
  | {
      ok: false;
      code: 'UNKNOWN_FINDING' | 'DECISIONS_REQUIRED' | 'REASON_REQUIRED';
      message: string;
      findingIds: string[];
    };

/**
 * Pure: checks the pharmacist's decisions against the findings of a fresh screen. Every finding that needs a
 * decision must have one; an override needs a reason; a decision for a finding that no longer exists (the chart
 * changed since the pharmacist looked) is refused so nobody signs off on a stale screen. Verified only when no
 * decision is "contact prescriber" (then the item waits, claimed, with the decisions recorded).
 */
export function evaluateDecisions(
  findings: readonly FindingView[],
  input: readonly DecisionInput[],
  by: string,
  at: string,
): DecisionEvaluation {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const unknown = input.filter((d) => !byId.has(d.findingId)).map((d) => d.findingId);
  if (unknown.length)
    return {
      ok: false,
      code: 'UNKNOWN_FINDING',
      message: 'Decisions name findings that the current screen does not report; reload the findings',
      findingIds: unknown,
    };
  const decided = new Set(input.map((d) => d.findingId));
  const missing = findings.filter((f) => needsDecision(f) && !decided.has(f.id)).map((f) => f.id);
  if (missing.length)
    return {
      ok: false,
      code: 'DECISIONS_REQUIRED',
      message: 'Every moderate or more severe finding needs a decision',
      findingIds: missing,
    };
  const noReason = input
    .filter((d) => d.action !== 'accept' && !(d.reason && d.reason.trim().length >= 5))
    .map((d) => d.findingId);
  if (noReason.length)
    return {
      ok: false,
      code: 'REASON_REQUIRED',
      message: 'An override or a call to the prescriber needs a reason of at least 5 characters',
      findingIds: noReason,
    };
  const decisions = input.map((d) => {
    const f = byId.get(d.findingId)!;
    return {
      findingId: d.findingId,
      kind: f.kind,
      severity: f.severity,
      action: d.action,
      ...(d.reason ? { reason: d.reason.trim() } : {}),
      by,
      at,
    };
  });
  return { ok: true, verified: !input.some((d) => d.action === 'contact-prescriber'), decisions };
}
