/** Clinical notes: the template catalog, drafts, signing, amendment and sharing. */
import { z } from 'zod';
import { FhirId } from './fhir';

/** The templates the API's catalog holds (it must define exactly these). */
export const NOTE_TEMPLATE_IDS = ['progress-soap', 'history-physical', 'discharge-summary'] as const;
export type NoteTemplateId = (typeof NOTE_TEMPLATE_IDS)[number];

export const NoteSectionDef = z
  .object({ key: z.string(), title: z.string(), loinc: z.string(), required: z.boolean() })
  .strict();
export type NoteSectionDef = z.infer<typeof NoteSectionDef>;
export const NoteTemplate = z
  .object({
    id: z.string(),
    title: z.string(),
    loinc: z.string(),
    display: z.string(),
    structured: z.boolean(),
    sections: z.array(NoteSectionDef),
  })
  .strict();
export type NoteTemplate = z.infer<typeof NoteTemplate>;
export const NoteTemplateList = z.object({ templates: z.array(NoteTemplate) }).strict();
export type NoteTemplateList = z.infer<typeof NoteTemplateList>;

const NoteSections = z.record(z.string().regex(/^[A-Za-z]{1,40}$/), z.string().max(20_000));
export const CreateNoteBody = z
  .object({
    template: z.enum(NOTE_TEMPLATE_IDS),
    title: z.string().trim().min(1).max(200).optional(),
    sections: NoteSections.default({}),
    encounterId: FhirId.optional(),
  })
  .strict();
export type CreateNoteBody = z.input<typeof CreateNoteBody>;
export const UpdateNoteBody = z
  .object({ title: z.string().trim().min(1).max(200).optional(), sections: NoteSections })
  .strict();
export type UpdateNoteBody = z.input<typeof UpdateNoteBody>;
export const AmendNoteBody = z
  .object({
    sections: NoteSections,
    reason: z.string().trim().min(5).max(1000),
    mode: z.enum(['replaces', 'appends']).default('replaces'),
  })
  .strict();
export type AmendNoteBody = z.input<typeof AmendNoteBody>;
export const ShareNoteBody = z.object({ recipients: z.array(FhirId).min(1).max(50).optional() }).strict();
export type ShareNoteBody = z.input<typeof ShareNoteBody>;
export const NoteParams = z.object({ id: FhirId }).strict();
export const NoteListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    status: z.enum(['preliminary', 'final', 'amended']).optional(),
  })
  .strict();

export const NoteDocStatus = z.enum(['preliminary', 'final', 'amended', 'entered-in-error']);
export type NoteDocStatus = z.infer<typeof NoteDocStatus>;

/** A note as the API shows it: the DocumentReference's index data, and the sections when read one by one. */
export const Note = z
  .object({
    id: z.string(),
    version: z.string().optional(),
    template: z.string().optional(),
    title: z.string().optional(),
    date: z.string().optional(),
    /** DocumentReference.status: a replaced note is 'superseded'. */
    status: z.enum(['current', 'superseded', 'entered-in-error']),
    docStatus: NoteDocStatus.optional(),
    patientId: z.string().optional(),
    /** Author and signer: FHIR references, with the names the API recorded. */
    author: z.string().optional(),
    authorName: z.string().optional(),
    signedBy: z.string().optional(),
    signedByName: z.string().optional(),
    signedAt: z.string().optional(),
    /** Whether the caller may change it: a draft belongs to its author alone. */
    editable: z.boolean(),
    compositionId: z.string().optional(),
    relatesTo: z.array(z.object({ code: z.string(), target: z.string().optional() }).strict()).optional(),
    sections: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type Note = z.infer<typeof Note>;
export const NoteList = z.object({ notes: z.array(Note) }).strict();
export type NoteList = z.infer<typeof NoteList>;
export const SignedNote = Note.extend({ provenanceId: z.string().optional() }).strict();
export type SignedNote = z.infer<typeof SignedNote>;
export const NoteShared = z.object({ communicationId: z.string(), recipients: z.array(z.string()) }).strict();
export type NoteShared = z.infer<typeof NoteShared>;
