/**
 * What the safety check demands an explicit override for, and the extension an override is recorded in on the
 * MedicationRequest: one policy for the prescribe path, the FHIR gate hook and CDS, owned here.
 */
import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import type { Finding } from './types';

export const EXT_SAFETY_OVERRIDE = `${WINTEHR_EXT}/medication-safety-override`;

const BLOCKING = new Set<Finding['severity']>(['contraindicated', 'major']);

/** Findings that demand an explicit override. Controlled-substance and unable-to-screen notices never block. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) => BLOCKING.has(f.severity) && f.kind !== 'controlled-substance' && f.kind !== 'unable-to-screen',
  );
}
