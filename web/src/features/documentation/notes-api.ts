import { api } from '../../core/api/client';

export interface SectionDef { key: string; title: string; loinc: string; required: boolean }
export interface NoteTemplate { id: string; title: string; loinc: string; display: string; sections: SectionDef[] }
export interface Note {
  id: string; version?: string; template?: string; title?: string; date?: string;
  status: string; docStatus?: 'preliminary' | 'final' | 'amended'; patientId?: string; author?: string;
  sections?: Record<string, string>;
}

export const notesApi = {
  templates: () => api.get<{ templates: NoteTemplate[] }>('/api/note-templates'),
  list: (patientId: string) => api.get<{ notes: Note[] }>(`/api/patients/${encodeURIComponent(patientId)}/notes`),
  get: (id: string) => api.get<Note>(`/api/notes/${encodeURIComponent(id)}`),
  create: (patientId: string, template: string) => api.post<Note>(`/api/patients/${encodeURIComponent(patientId)}/notes`, { template }),
  /** Optimistic locking: the version read is sent as If-Match; a stale one answers 409. */
  save: (note: Note, sections: Record<string, string>) =>
    api.put<Note>(`/api/notes/${encodeURIComponent(note.id)}`, { sections }, { 'if-match': `W/"${note.version ?? ''}"` }),
  sign: (id: string) => api.post<Note>(`/api/notes/${encodeURIComponent(id)}/sign`),
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
