import { Router } from 'express';
import {
  AmendNoteBody,
  CreateNoteBody,
  Note,
  NoteList,
  NoteListQuery,
  NoteParams,
  NoteShared,
  NoteTemplateList,
  PatientParams,
  ShareNoteBody,
  SignedNote,
  SignNoteBody,
  UpdateNoteBody,
} from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { NotesService } from './notes.service';
import { requestCosign, resolveCosigner } from './cosign';

/** The clinical-notes routes (contracts only; the behaviour lives in NotesService). */
export function notesRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['documentation'];
  const notes = new NotesService(deps);

  mount(
    r,
    {
      method: 'get',
      path: '/api/note-templates',
      summary: 'The note template catalog',
      tags,
      auth: 'document:read',
      response: NoteTemplateList,
    },
    () => notes.templates(),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/notes',
      summary: "A patient's notes, newest first",
      tags,
      auth: 'document:read',
      params: PatientParams,
      query: NoteListQuery,
      response: NoteList,
    },
    (ctx) => notes.list(ctx, ctx.params.patientId, ctx.query),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/notes',
      summary: 'Create a draft note from a template',
      tags,
      auth: 'document:write',
      params: PatientParams,
      body: CreateNoteBody,
      response: Note,
      successStatus: 201,
    },
    (ctx) => notes.create(ctx, ctx.params.patientId, ctx.body),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/notes/:id',
      summary: 'A note with its sections',
      tags,
      auth: 'document:read',
      params: NoteParams,
      response: Note,
    },
    (ctx) => notes.read(ctx, ctx.params.id),
  );

  mount(
    r,
    {
      method: 'put',
      path: '/api/notes/:id',
      summary: 'Edit a draft note (If-Match; 409 NOTE_SIGNED once signed)',
      tags,
      auth: 'document:write',
      params: NoteParams,
      body: UpdateNoteBody,
      response: Note,
    },
    (ctx) => notes.update(ctx, ctx.params.id, ctx.body),
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/notes/:id',
      summary: 'Discard a draft note (its author only; signed notes are amended, never deleted)',
      tags,
      auth: 'document:write',
      params: NoteParams,
    },
    (ctx) => notes.discard(ctx, ctx.params.id),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/notes/:id/sign',
      summary: 'Sign a draft note (final + Provenance; publishes notes.signed); optionally name a co-signer',
      tags,
      auth: 'document:sign',
      params: NoteParams,
      body: SignNoteBody.optional(),
      response: SignedNote,
    },
    async (ctx) => {
      // The co-signer is checked before signing, so a wrong one is a 400 on an unchanged draft.
      const cosigner = await resolveCosigner(deps, ctx.principal, ctx.body);
      const signed = await notes.sign(ctx, ctx.params.id);
      if (cosigner && signed.patientId)
        await requestCosign(deps, {
          docId: signed.id,
          patientId: signed.patientId,
          title: signed.title,
          requesterPractitionerId: ctx.principal.practitionerId,
          cosignerPractitionerId: cosigner,
          actorUserId: ctx.principal.userId,
        });
      return signed;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/notes/:id/amend',
      summary: 'Amend a signed note: a new signed note that replaces (or appends to) it',
      tags,
      auth: 'document:sign',
      params: NoteParams,
      body: AmendNoteBody,
      response: Note,
      successStatus: 201,
    },
    (ctx) => notes.amend(ctx, ctx.params.id, ctx.body),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/notes/:id/share',
      summary: "Share a note with the patient's care team (Communication)",
      tags,
      auth: 'document:read',
      params: NoteParams,
      body: ShareNoteBody,
      response: NoteShared,
      successStatus: 201,
    },
    (ctx) => notes.share(ctx, ctx.params.id, ctx.body),
  );

  return r;
}
