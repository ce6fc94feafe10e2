/**
 * Drug-safety policy for MedicationRequest writes through the FHIR gate (pure). The findings come from the same
 * engine as the prescribe path, and the same findings block (medications/safety-gate.ts: contraindicated or major,
 * never controlled-substance or unable-to-screen notices). A SMART app overrides by writing the same
 * `medication-safety-override` extension the prescribe path writes, with a reason and one `rule` entry per blocking
 * finding, named by the code the refusal gave for it; only a user who may prescribe can override.
 */
import { blockingFindings, EXT_SAFETY_OVERRIDE } from './override-policy';
import type { Finding } from './types';

/** Statuses that put nothing new in front of the patient: such writes are never screened. */
export const UNSCREENED_STATUSES: ReadonlySet<string> = new Set([
  'stopped',
  'cancelled',
  'completed',
  'entered-in-error',
]);
export const MIN_OVERRIDE_REASON = 5;

export interface GateOverride {
  reason: string;
  keys: ReadonlySet<string>;
}

/** The override extension of a MedicationRequest, or undefined when absent or without a usable reason. */
export function overrideOf(mr: fhir4.MedicationRequest): GateOverride | undefined {
  const ext = mr.extension?.find((e) => e.url === EXT_SAFETY_OVERRIDE);
  if (!ext) return undefined;
  const parts = ext.extension ?? [];
  const reason = parts.find((p) => p.url === 'reason')?.valueString?.trim() ?? '';
  if (reason.length < MIN_OVERRIDE_REASON) return undefined;
  const keys = new Set(
    parts.filter((p) => p.url === 'rule' && typeof p.valueString === 'string').map((p) => p.valueString!.trim()),
  );
  return { reason, keys };
}

/**
 * The code by which a blocking finding is refused and overridden. It names what the order conflicts with, not the
 * order itself (which has no id yet on a create), so an app can echo it back: the interaction rule id (as the
 * prescribe path records it), or the allergy / the duplicated medication in the chart.
 */
export function overrideKeyOf(f: Finding): string {
  switch (f.kind) {
    case 'drug-drug':
      return f.ruleId;
    case 'drug-allergy':
      return `drug-allergy:${f.allergy.ref ?? f.allergy.display}`;
    case 'duplicate-therapy': {
      const other = f.drugs.find((d) => d.role === 'active') ?? f.drugs[1];
      return `duplicate-therapy:${other.ref ?? other.code}`;
    }
    default:
      return f.id;
  }
}

export type GateWriteDecision =
  | { outcome: 'allow'; overridden: Finding[] }
  | {
      outcome: 'refuse';
      blocking: Finding[];
      reason: 'OVERRIDE_REQUIRED' | 'OVERRIDE_INCOMPLETE' | 'OVERRIDE_NOT_PERMITTED';
    };

/** `mayOverride`: the token's user has the prescribe permission (patients, other staff and system tokens do not). */
export function decideGateWrite(
  findings: readonly Finding[],
  override: GateOverride | undefined,
  mayOverride: boolean,
): GateWriteDecision {
  const blocking = blockingFindings(findings);
  if (!blocking.length) return { outcome: 'allow', overridden: [] };
  if (!override) return { outcome: 'refuse', blocking, reason: 'OVERRIDE_REQUIRED' };
  if (!mayOverride) return { outcome: 'refuse', blocking, reason: 'OVERRIDE_NOT_PERMITTED' };
  const missing = blocking.filter((f) => !override.keys.has(overrideKeyOf(f)));
  if (missing.length) return { outcome: 'refuse', blocking: missing, reason: 'OVERRIDE_INCOMPLETE' };
  return { outcome: 'allow', overridden: blocking };
}

/**
 * One OperationOutcome issue per blocking finding. What the finding conflicts with is named only when the token
 * may read that kind of chart data; otherwise the issue says a conflict exists without disclosing it.
 */
export function refusalIssues(
  blocking: readonly Finding[],
  canRead: { allergies: boolean; medications: boolean },
): fhir4.OperationOutcomeIssue[] {
  return blocking.map((f) => {
    const visible = f.kind === 'drug-allergy' ? canRead.allergies : canRead.medications;
    const what =
      f.kind === 'drug-allergy'
        ? 'an allergy'
        : f.kind === 'duplicate-therapy'
          ? 'a medication (duplicate therapy)'
          : 'an active medication';
    return {
      severity: 'error',
      code: 'business-rule',
      details: {
        coding: [
          {
            system: 'http://wintehr.dev/fhir/CodeSystem/medication-safety-finding',
            code: overrideKeyOf(f),
            display: `${f.severity} ${f.kind}`,
          },
        ],
        text: `${f.severity} ${f.kind}`,
      },
      diagnostics: visible
        ? f.message
        : `This medication conflicts with ${what} recorded in the patient's chart (${f.severity}).`,
    };
  });
}

export const REFUSAL_MESSAGES: Readonly<Record<Extract<GateWriteDecision, { outcome: 'refuse' }>['reason'], string>> = {
  OVERRIDE_REQUIRED:
    'Drug-safety check refused this MedicationRequest; a prescriber may override with the medication-safety-override extension (reason and one rule entry per finding code)',
  OVERRIDE_INCOMPLETE: 'The medication-safety-override extension does not name every blocking finding code',
  OVERRIDE_NOT_PERMITTED: 'Only a user who may prescribe can override a drug-safety refusal',
};
