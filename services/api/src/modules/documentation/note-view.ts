import { hasPermission, type Note, type NoteTemplate } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import { patientIdOf } from '../../core/fhir/fhir-kit';
import { compositionIdOf, isSigned, sectionsOf, templateIdOf } from './note-builder';
import { isDraftAuthor, signatureOf } from './note-authorship';

/** The API view of a note for this caller; `comp` gives the sections (when `t` is known) and the signing time. */
export const noteView = (
  doc: fhir4.DocumentReference,
  p: Principal,
  comp?: fhir4.Composition,
  t?: NoteTemplate,
): Note => {
  const signature = signatureOf(doc, comp);
  return {
    id: doc.id!,
    version: doc.meta?.versionId,
    template: templateIdOf(doc),
    title: doc.description,
    date: doc.date,
    status: doc.status,
    docStatus: doc.docStatus,
    patientId: patientIdOf(doc.subject),
    author: doc.author?.[0]?.reference,
    authorName: doc.author?.[0]?.display,
    ...(signature ? { signedBy: signature.by, signedByName: signature.byName, signedAt: signature.at } : {}),
    // Whether the caller may change this note: drafts are their author's alone.
    editable: !isSigned(doc) && hasPermission(p.role, 'document:write') && isDraftAuthor(doc, p),
    compositionId: compositionIdOf(doc),
    relatesTo: doc.relatesTo?.map((x) => ({ code: x.code, target: x.target.reference })),
    ...(comp && t ? { sections: sectionsOf(t, comp) } : {}),
  };
};
