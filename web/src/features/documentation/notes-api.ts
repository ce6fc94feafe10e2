import type { Note, NoteList, NoteTemplate, NoteTemplateList, SignedNote } from '@wintehr/contracts';
import { api } from '../../core/api/client';

export type { Note, NoteSectionDef as SectionDef, NoteTemplate } from '@wintehr/contracts';

export const notesApi = {
  templates: () => api.get<NoteTemplateList>('/api/note-templates'),
  list: (patientId: string) => api.get<NoteList>(`/api/patients/${encodeURIComponent(patientId)}/notes`),
  get: (id: string) => api.get<Note>(`/api/notes/${encodeURIComponent(id)}`),
  /** A note written during a visit belongs to its Encounter. */
  create: (patientId: string, template: string, encounterId?: string) =>
    api.post<Note>(`/api/patients/${encodeURIComponent(patientId)}/notes`, {
      template,
      ...(encounterId ? { encounterId } : {}),
    }),
  /** Optimistic locking: the version read is sent as If-Match; a stale one answers 409. */
  save: (note: Note, sections: Record<string, string>) =>
    api.put<Note>(
      `/api/notes/${encodeURIComponent(note.id)}`,
      { sections },
      { 'if-match': `W/"${note.version ?? ''}"` },
    ),
  sign: (id: string) => api.post<SignedNote>(`/api/notes/${encodeURIComponent(id)}/sign`),
  /** Discards a draft (its author only). */
  remove: (id: string) => api.delete<void>(`/api/notes/${encodeURIComponent(id)}`),
};

export const NOTE_STATUS_LABEL: Record<string, string> = { preliminary: 'Draft', final: 'Signed', amended: 'Amended' };

/** Only sections with text are sent: the API keeps empty ones out of the Composition anyway. */
export function filledSections(sections: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sections).filter(([, v]) => v.trim() !== ''));
}

/** Required sections still empty: signing would be refused, so the UI says which before trying. */
export function missingRequired(t: NoteTemplate, sections: Record<string, string>): string[] {
  return t.sections.filter((s) => s.required && !sections[s.key]?.trim()).map((s) => s.title);
}

const personOf = (name: string | undefined, ref: string | undefined) =>
  name ?? (ref ? ref.replace(/^Practitioner\//, 'Practitioner ') : 'unknown author');

/** Who wrote the note and, once signed, who signed it and when: "Signed by Dr. Wilson · <time>". */
export function noteByline(
  n: Pick<Note, 'docStatus' | 'author' | 'authorName' | 'signedBy' | 'signedByName' | 'signedAt'>,
  formatTime: (iso: string | undefined) => string,
): string {
  const author = `Written by ${personOf(n.authorName, n.author)}`;
  if (n.docStatus === 'preliminary') return `Draft · ${author}`;
  const signer = n.signedBy || n.signedByName ? `Signed by ${personOf(n.signedByName, n.signedBy)}` : 'Signed';
  return `${author} · ${signer}${n.signedAt ? ` · ${formatTime(n.signedAt)}` : ''}`;
}
