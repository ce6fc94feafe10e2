import { checkMedicationSafety, type DrugKnowledgeBase } from '../../drug-safety';
import type { CardDraft, CdsService } from '../cds-types';
import { criticalResultsCard, unacknowledgedCritical } from '../critical-results';
import { findingCard } from '../drug-cards';
import { PatientViewContext } from '../hook-request';
import { bundleOf, entriesOf } from '../prefetch';
import { evidenceOf, overduePreventiveCare, preventiveCard } from '../preventive-rules';
import { chartOf, missingDataCard } from './medication-order-cards';
import { PATIENT_VIEW_PREFETCH } from './prefetch-templates';

const ALLERGY_KEYS = ['patient', 'medicationRequests', 'medicationStatements', 'allergies'];
const PREVENTIVE_KEYS = [
  'patient',
  'conditions',
  'procedures',
  'screeningObservations',
  'diagnosticReports',
  'immunizations',
];

/** patient-view: unacknowledged critical results, drug-allergy conflicts in the active list, overdue preventive care. */
export function patientViewService(kb: DrugKnowledgeBase): CdsService<PatientViewContext> {
  return {
    definition: {
      hook: 'patient-view',
      id: 'wintehr-patient-view',
      title: 'Chart review alerts',
      description:
        'On opening a chart: unacknowledged critical results, active medications that conflict with recorded allergies, and overdue preventive care.',
      prefetch: { ...PATIENT_VIEW_PREFETCH },
    },
    context: PatientViewContext,
    patientOf: (c) => c.patientId,
    handle({ data, now }) {
      const cards: CardDraft[] = [];
      const critical = missingDataCard(data, ['recentResults'], 'Critical result check');
      if (critical) cards.push(critical);
      else {
        const card = criticalResultsCard(
          unacknowledgedCritical(entriesOf<fhir4.Observation>(bundleOf(data, 'recentResults'), 'Observation'), now),
        );
        if (card) cards.push(card);
      }

      const allergy = missingDataCard(data, ALLERGY_KEYS, 'Allergy check of the active medication list');
      if (allergy) cards.push(allergy);
      else {
        const chart = chartOf(data, now);
        if (chart.active.length && chart.allergies.length) {
          const findings = checkMedicationSafety(kb, {
            proposed: chart.active,
            allergies: chart.allergies,
            patient: chart.patient,
          });
          for (const f of findings) if (f.kind === 'drug-allergy') cards.push(findingCard(f, new Map()));
        }
      }

      const preventive = missingDataCard(data, PREVENTIVE_KEYS, 'Preventive care check');
      if (preventive) cards.push(preventive);
      else {
        const chart = chartOf(data, now);
        const conditions = entriesOf<fhir4.Condition>(bundleOf(data, 'conditions'), 'Condition').flatMap(
          (c) => c.code?.coding ?? [],
        );
        const evidence = evidenceOf(
          ['procedures', 'screeningObservations', 'diagnosticReports', 'immunizations'].flatMap((k) =>
            (bundleOf(data, k)?.entry ?? []).map((e) => e.resource!).filter(Boolean),
          ),
        );
        for (const item of overduePreventiveCare({ ...chart.patient, conditions, evidence }, now))
          cards.push(preventiveCard(item));
      }
      return cards;
    },
  };
}
