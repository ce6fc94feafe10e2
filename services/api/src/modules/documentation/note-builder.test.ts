import { isLoinc } from '@wintehr/contracts';
import {
  buildComposition,
  buildDocumentReference,
  checkSections,
  compositionIdOf,
  isSigned,
  renderText,
  sectionsOf,
  templateIdOf,
} from './note-builder';
import { NOTE_TEMPLATES } from './note-templates';

const soap = NOTE_TEMPLATES['progress-soap']!;
const ctx = {
  patientId: 'p1',
  author: { reference: 'Practitioner/9', display: 'Dr. Nine', userId: 'u-9' },
  title: 'Follow-up',
  date: '2026-01-01T10:00:00Z',
};
const sections = {
  subjective: 'Feels <better> & sleeps',
  objective: 'BP 120/80',
  assessment: 'Stable',
  plan: 'Continue\nRecheck in 3 months',
};

describe('note templates and builders', () => {
  it('uses valid LOINC codes for every document type and section', () => {
    for (const t of Object.values(NOTE_TEMPLATES)) {
      expect(isLoinc(t.loinc)).toBe(true);
      for (const sct of t.sections) expect([sct.key, isLoinc(sct.loinc)]).toEqual([sct.key, true]);
    }
  });
  it('rejects unknown sections and, for signing, missing required ones', () => {
    expect(checkSections(soap, { subjective: 'x', mood: 'y' }, false)).toEqual([
      expect.objectContaining({ field: 'body.sections.mood' }),
    ]);
    expect(checkSections(soap, { subjective: 'x' }, false)).toEqual([]);
    expect(checkSections(soap, { subjective: 'x' }, true).map((p) => p.field)).toEqual([
      'sections.objective',
      'sections.assessment',
      'sections.plan',
    ]);
    expect(checkSections(soap, sections, true)).toEqual([]);
  });
  it('round-trips sections through the Composition, escaping markup', () => {
    const comp = buildComposition(soap, ctx, sections, 'preliminary');
    expect(comp.section!.map((s) => s.code!.coding![0]!.code)).toEqual(['61150-9', '61149-1', '51848-0', '18776-5']);
    expect(comp.section![0]!.text!.div).toContain('&lt;better&gt; &amp;');
    expect(sectionsOf(soap, comp)).toEqual(sections);
  });
  it('renders the text attachment and links the Composition', () => {
    const doc = buildDocumentReference(soap, ctx, sections, 'preliminary', 'Composition/c1');
    const text = Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8');
    expect(text).toBe(renderText(soap, 'Follow-up', sections));
    expect(text).toContain('PLAN:\nContinue');
    expect(compositionIdOf(doc)).toBe('c1');
    expect(templateIdOf(doc)).toBe('progress-soap');
    expect(isSigned(doc)).toBe(false);
    expect(isSigned({ ...doc, docStatus: 'final' })).toBe(true);
    expect(isSigned({ ...doc, status: 'superseded' })).toBe(true);
  });
});
