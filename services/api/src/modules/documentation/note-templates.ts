/** The note template catalog: LOINC document types and LOINC-coded sections (seed 004 §4.6). */
import type { NoteSectionDef, NoteTemplate, NoteTemplateId } from '@wintehr/contracts';

const s = (key: string, title: string, loinc: string, required = true): NoteSectionDef => ({
  key,
  title,
  loinc,
  required,
});

// Keyed by every id the contract lists, and only those (a template the contract does not know could not be created).
export const NOTE_TEMPLATES: Record<string, NoteTemplate> = {
  'progress-soap': {
    id: 'progress-soap',
    title: 'Progress note (SOAP)',
    loinc: '11506-3',
    display: 'Progress note',
    structured: true,
    sections: [
      s('subjective', 'Subjective', '61150-9'),
      s('objective', 'Objective', '61149-1'),
      s('assessment', 'Assessment', '51848-0'),
      s('plan', 'Plan', '18776-5'),
    ],
  },
  'history-physical': {
    id: 'history-physical',
    title: 'History and physical',
    loinc: '34117-2',
    display: 'History and physical note',
    structured: true,
    sections: [
      s('chiefComplaint', 'Chief complaint', '10154-3'),
      s('hpi', 'History of present illness', '10164-2'),
      s('pastHistory', 'Past medical history', '11348-0', false),
      s('medications', 'Medications', '10160-0', false),
      s('allergies', 'Allergies', '48765-2', false),
      s('ros', 'Review of systems', '10187-3', false),
      s('exam', 'Physical examination', '29545-1'),
      s('assessmentPlan', 'Assessment and plan', '51847-2'),
    ],
  },
  'discharge-summary': {
    id: 'discharge-summary',
    title: 'Discharge summary',
    loinc: '18842-5',
    display: 'Discharge summary',
    structured: true,
    sections: [
      s('hospitalCourse', 'Hospital course', '8648-8'),
      s('dischargeDiagnosis', 'Discharge diagnosis', '11535-2'),
      s('dischargeMedications', 'Discharge medications', '10183-2', false),
      s('instructions', 'Discharge instructions', '8653-8'),
    ],
  },
} satisfies Record<NoteTemplateId, NoteTemplate>;
