import { AUTHOR_USER_EXT, type NoteAuthor } from './note-authorship';
import type { NoteTemplate } from '@wintehr/contracts';

export type Sections = Record<string, string>;
export interface FieldProblem {
  field: string;
  message: string;
}

/** Section keys must belong to the template; a note to be signed needs every required section filled. */
export function checkSections(t: NoteTemplate, sections: Sections, forSigning: boolean): FieldProblem[] {
  const known = new Set(t.sections.map((x) => x.key));
  const out: FieldProblem[] = Object.keys(sections)
    .filter((k) => !known.has(k))
    .map((k) => ({ field: `body.sections.${k}`, message: `not a section of ${t.id}: ${[...known].join(', ')}` }));
  if (forSigning) {
    for (const def of t.sections)
      if (def.required && !sections[def.key]?.trim())
        out.push({ field: `sections.${def.key}`, message: 'required before signing' });
  }
  return out;
}

const escapeHtml = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Plain text of the note (the DocumentReference attachment), sections in template order. */
export function renderText(t: NoteTemplate, title: string, sections: Sections): string {
  const parts = [title.toUpperCase(), ''];
  for (const def of t.sections)
    if (sections[def.key]?.trim()) parts.push(`${def.title.toUpperCase()}:`, sections[def.key]!.trim(), '');
  return parts.join('\n').trimEnd() + '\n';
}

export interface NoteContext {
  patientId: string;
  author?: Partial<NoteAuthor>;
  encounterId?: string;
  title: string;
  date: string;
}

const authorReference = (a: NoteContext['author']): fhir4.Reference | undefined =>
  a?.reference ? { reference: a.reference, ...(a.display ? { display: a.display } : {}) } : undefined;

const loinc = (code: string, display: string): fhir4.CodeableConcept => ({
  coding: [{ system: 'http://loinc.org', code, display }],
  text: display,
});
const CLINICAL_NOTE_CATEGORY: fhir4.CodeableConcept = {
  coding: [
    {
      system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
      code: 'clinical-note',
      display: 'Clinical Note',
    },
  ],
};

/** The structured note: a Composition with one LOINC-coded section per filled template section. */
export function buildComposition(
  t: NoteTemplate,
  c: NoteContext,
  sections: Sections,
  status: fhir4.Composition['status'],
): fhir4.Composition {
  return {
    resourceType: 'Composition',
    status,
    type: loinc(t.loinc, t.display),
    category: [CLINICAL_NOTE_CATEGORY],
    subject: { reference: `Patient/${c.patientId}` },
    date: c.date,
    title: c.title,
    author: [authorReference(c.author) ?? { display: c.author?.display ?? 'Unknown author' }],
    ...(c.encounterId ? { encounter: { reference: `Encounter/${c.encounterId}` } } : {}),
    section: t.sections
      .filter((d) => sections[d.key]?.trim())
      .map((d) => ({
        title: d.title,
        code: loinc(d.loinc, d.title),
        text: {
          status: 'generated',
          div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeHtml(sections[d.key]!.trim()).replace(/\n/g, '<br/>')}</div>`,
        },
        extension: [{ url: 'urn:wintehr:note-section-key', valueString: d.key }],
      })),
  };
}

/** Template sections back from a Composition (by our section-key extension, else by LOINC code). */
export function sectionsOf(t: NoteTemplate, comp: fhir4.Composition): Sections {
  const out: Sections = {};
  for (const sec of comp.section ?? []) {
    const key =
      sec.extension?.find((e) => e.url === 'urn:wintehr:note-section-key')?.valueString ??
      t.sections.find((d) => sec.code?.coding?.some((x) => x.code === d.loinc))?.key;
    const div = sec.text?.div ?? '';
    if (key)
      out[key] = div
        .replace(/^<div[^>]*>/, '')
        .replace(/<\/div>$/, '')
        .replace(/<br\/>/g, '\n')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
  }
  return out;
}

/** The index entry for the note: type, status, the rendered text, a link to the Composition. */
export function buildDocumentReference(
  t: NoteTemplate,
  c: NoteContext,
  sections: Sections,
  docStatus: 'preliminary' | 'final' | 'amended',
  compositionRef: string,
): fhir4.DocumentReference {
  const author = authorReference(c.author) ?? (c.author?.display ? { display: c.author.display } : undefined);
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus,
    type: loinc(t.loinc, t.display),
    category: [CLINICAL_NOTE_CATEGORY],
    subject: { reference: `Patient/${c.patientId}` },
    date: c.date,
    description: c.title,
    ...(author ? { author: [author] } : {}),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(renderText(t, c.title, sections), 'utf8').toString('base64'),
          title: c.title,
          creation: c.date,
        },
      },
    ],
    context: {
      related: [{ reference: compositionRef }],
      ...(c.encounterId ? { encounter: [{ reference: `Encounter/${c.encounterId}` }] } : {}),
    },
    extension: [
      { url: 'urn:wintehr:note-template', valueString: t.id },
      ...(c.author?.userId ? [{ url: AUTHOR_USER_EXT, valueString: c.author.userId }] : []),
    ],
  };
}

export const templateIdOf = (d: fhir4.DocumentReference) =>
  d.extension?.find((e) => e.url === 'urn:wintehr:note-template')?.valueString;
export const compositionIdOf = (d: fhir4.DocumentReference) =>
  /^Composition\/([^/]+)/.exec(
    d.context?.related?.find((r) => r.reference?.startsWith('Composition/'))?.reference ?? '',
  )?.[1];
export const isSigned = (d: fhir4.DocumentReference) =>
  d.docStatus === 'final' || d.docStatus === 'amended' || d.status !== 'current';
