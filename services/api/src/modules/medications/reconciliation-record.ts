import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import type { ReconciliationDecision } from '@wintehr/contracts';

/** The saved reconciliation as a FHIR List (pure): one entry per decision, the reconciler as source. */

export const LIST_KIND_SYSTEM = 'http://wintehr.dev/fhir/CodeSystem/list-kind';
export const RECONCILIATION_CODE = 'medication-reconciliation';
export const RECONCILIATION_ACTION_SYSTEM = 'http://wintehr.dev/fhir/CodeSystem/medication-reconciliation-action';

const ACTION_DISPLAY: Record<ReconciliationDecision['action'], string> = {
  continue: 'Continue',
  discontinue: 'Discontinue',
  'add-to-orders': 'Add to orders',
  'mark-not-taking': 'Not taking',
};

export interface RecordedEntry {
  decision: ReconciliationDecision;
  /** What the decision is about or wrote: a reference (urn:uuid inside the transaction) or only a name. */
  item: fhir4.Reference;
}

export function reconciliationList(
  patientId: string,
  entries: readonly RecordedEntry[],
  o: { by: fhir4.Reference; now: Date; note?: string },
): fhir4.List {
  const at = o.now.toISOString();
  return {
    resourceType: 'List',
    status: 'current',
    mode: 'snapshot',
    title: 'Medication reconciliation',
    code: {
      coding: [{ system: LIST_KIND_SYSTEM, code: RECONCILIATION_CODE, display: 'Medication reconciliation' }],
      text: 'Medication reconciliation',
    },
    subject: { reference: `Patient/${patientId}` },
    date: at,
    source: o.by,
    entry: entries.map((e) => ({
      flag: {
        coding: [
          {
            system: RECONCILIATION_ACTION_SYSTEM,
            code: e.decision.action,
            display: ACTION_DISPLAY[e.decision.action],
          },
        ],
        ...(e.decision.reason ? { text: e.decision.reason } : {}),
      },
      date: at,
      item: e.item,
      extension: [{ url: `${WINTEHR_EXT}/reconciliation-line`, valueString: e.decision.lineKey }],
    })),
    ...(o.note ? { note: [{ text: o.note, time: at, authorReference: o.by }] } : {}),
  };
}

/** A MedicationStatement saying the patient does not take the drug (status not-taken), from the reconciler. */
export function notTakenStatement(
  patientId: string,
  medication: fhir4.CodeableConcept,
  o: { by: fhir4.Reference; now: Date; basedOn?: string; reason?: string },
): fhir4.MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    status: 'not-taken',
    medicationCodeableConcept: medication,
    subject: { reference: `Patient/${patientId}` },
    dateAsserted: o.now.toISOString(),
    informationSource: o.by,
    ...(o.basedOn ? { basedOn: [{ reference: o.basedOn }] } : {}),
    ...(o.reason ? { statusReason: [{ text: o.reason }] } : {}),
  };
}
