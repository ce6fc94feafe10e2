import type { Principal } from '../../core/auth/principal';

/**
 * Who wrote a note and who signed it, read from the FHIR resources. A draft belongs to the user who created
 * it: the API user id is kept on the DocumentReference (a Practitioner may be shared by several accounts, and
 * users without a Practitioner can write drafts), with the author Practitioner as the fallback for notes
 * written before the extension existed.
 */
export const AUTHOR_USER_EXT = 'urn:wintehr:note-author-user';

export interface NoteAuthor {
  reference?: string;
  display?: string;
  userId: string;
}
export interface NoteSignature {
  by?: string;
  byName?: string;
  at?: string;
}

export const authorUserIdOf = (doc: fhir4.DocumentReference) =>
  doc.extension?.find((e) => e.url === AUTHOR_USER_EXT)?.valueString;

/** The author of a draft from its DocumentReference, for rewriting the draft without losing authorship. */
export function authorOf(doc: fhir4.DocumentReference): Partial<NoteAuthor> {
  const a = doc.author?.[0];
  return { reference: a?.reference, display: a?.display, userId: authorUserIdOf(doc) };
}

/** Only its author may change a draft (edit, sign, discard); everyone else with access reads it. */
export function isDraftAuthor(doc: fhir4.DocumentReference, p: Pick<Principal, 'userId' | 'practitionerId'>): boolean {
  const userId = authorUserIdOf(doc);
  if (userId) return userId === p.userId;
  const ref = doc.author?.[0]?.reference;
  return !!ref && !!p.practitionerId && ref === `Practitioner/${p.practitionerId}`;
}

/** The signature of a signed note: DocumentReference.authenticator (who) and Composition.attester (when). */
export function signatureOf(doc: fhir4.DocumentReference, comp?: fhir4.Composition): NoteSignature | undefined {
  if (doc.docStatus !== 'final' && doc.docStatus !== 'amended') return undefined;
  const attester = comp?.attester?.find((a) => a.mode === 'legal') ?? comp?.attester?.[0];
  return {
    by: doc.authenticator?.reference ?? attester?.party?.reference,
    byName: doc.authenticator?.display ?? attester?.party?.display,
    at: attester?.time,
  };
}
