import type { PrescribeWarning } from '@wintehr/contracts';
import type { Finding } from '../drug-safety';
import { blockingFindings } from '../drug-safety';

/**
 * The prescribing safety gate (pure). Contraindicated and major findings stop an order until the prescriber
 * re-sends it with an override reason; everything else comes back as a warning on a successful order.
 */

export interface OverrideInput {
  reason: string;
  findingIds?: string[];
}

export type GateDecision =
  | { outcome: 'allow'; warnings: Finding[]; overridden: Finding[] }
  | { outcome: 'block'; blocking: Finding[]; warnings: Finding[]; reason: 'OVERRIDE_REQUIRED' | 'OVERRIDE_INCOMPLETE' };

/**
 * With no override, blocking findings stop the order. An override without findingIds covers every blocking
 * finding shown; with findingIds it must name each of them (so a new finding that appeared since the prescriber
 * looked is not overridden silently).
 */
export function decideSafetyGate(findings: readonly Finding[], override?: OverrideInput): GateDecision {
  const blocking = blockingFindings(findings);
  const warnings = [...findings];
  if (!blocking.length) return { outcome: 'allow', warnings, overridden: [] };
  if (!override) return { outcome: 'block', blocking, warnings, reason: 'OVERRIDE_REQUIRED' };
  if (override.findingIds) {
    const named = new Set(override.findingIds);
    const missing = blocking.filter((f) => !named.has(f.id));
    if (missing.length) return { outcome: 'block', blocking: missing, warnings, reason: 'OVERRIDE_INCOMPLETE' };
  }
  return { outcome: 'allow', warnings, overridden: blocking };
}

/** Rule ids (or finding ids when the finding has no rule) of overridden findings: safe for the audit trail. */
export function overriddenRuleIds(overridden: readonly Finding[]): string[] {
  return [...new Set(overridden.map((f) => (f.kind === 'drug-drug' ? f.ruleId : f.id)))].sort();
}

/** The response view of a finding: what a prescriber needs to decide, without the engine's internals. */
export function warningView(f: Finding): PrescribeWarning {
  // `kind` is set in each branch, after the switch has narrowed it, so each view checks against its own variant.
  const base = { id: f.id, severity: f.severity, message: f.message };
  switch (f.kind) {
    case 'drug-drug':
      return {
        kind: f.kind,
        ...base,
        ruleId: f.ruleId,
        management: f.management,
        affectedMedications: f.drugs.filter((d) => d.role === 'active').map((d) => ({ id: d.ref, display: d.display })),
      };
    case 'drug-allergy':
      return {
        kind: f.kind,
        ...base,
        allergy: { id: f.allergy.ref, display: f.allergy.display },
        matchType: f.matchType,
      };
    case 'duplicate-therapy':
      return {
        kind: f.kind,
        ...base,
        basis: f.basis,
        affectedMedications: f.drugs.filter((d) => d.role === 'active').map((d) => ({ id: d.ref, display: d.display })),
      };
    case 'controlled-substance':
      return { kind: f.kind, ...base, schedule: f.schedule };
    case 'drug-condition':
      return { kind: f.kind, ...base, ruleId: f.ruleId, reason: f.reason };
    case 'unable-to-screen':
      return { kind: f.kind, ...base, reason: f.reason };
  }
}
