import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  AmendNoteBody,
  CreateNoteBody,
  hasPermission,
  Note,
  NoteList,
  NoteListQuery,
  NoteParams,
  NoteShared,
  NoteTemplateList,
  PatientParams,
  ShareNoteBody,
  SignedNote,
  UpdateNoteBody,
  type NoteTemplate,
} from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { assertVersion, patientIdOf, readOr404, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import {
  buildComposition,
  buildDocumentReference,
  checkSections,
  compositionIdOf,
  isSigned,
  sectionsOf,
  templateIdOf,
} from './note-builder';
import { authorOf, isDraftAuthor, signatureOf } from './note-authorship';
import { NOTE_TEMPLATES } from './note-templates';

const uuid = () => `urn:uuid:${randomUUID()}`;
/** "DocumentReference/abc/_history/2" → { id: 'abc', version: '2' } */
const locationOf = (e: fhir4.BundleEntry | undefined) => {
  const m = /([A-Za-z]+)\/([^/]+)\/_history\/([^/]+)/.exec(e?.response?.location ?? '');
  return { id: m?.[2], version: m?.[3] };
};

/** The signer: Provenance.agent.who must be a Practitioner, so users without one cannot sign. */
function signerRef(p: Principal): string {
  if (!p.practitionerId) throw forbidden('Signing needs a user linked to a Practitioner');
  return `Practitioner/${p.practitionerId}`;
}

/** A draft is its author's work in progress: others with access may read it, never change it. */
function requireDraftAuthor(
  doc: fhir4.DocumentReference,
  p: Principal,
  guard: { note(d: Record<string, unknown>): void },
): void {
  if (isDraftAuthor(doc, p)) return;
  guard.note({ reason: 'NOT_DRAFT_AUTHOR' });
  throw forbidden('Only the author of a draft note may change, sign or discard it', {
    reason: 'NOT_DRAFT_AUTHOR',
    author: doc.author?.[0]?.display ?? doc.author?.[0]?.reference,
  });
}

function provenance(
  targets: string[],
  signer: fhir4.Reference,
  now: string,
  activity: 'sign' | 'amend',
  reason?: string,
): fhir4.Provenance {
  return {
    resourceType: 'Provenance',
    target: targets.map((reference) => ({ reference })),
    recorded: now,
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: activity === 'sign' ? 'UPDATE' : 'CREATE',
        },
      ],
      text: activity === 'sign' ? 'Note signed' : 'Note amended',
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'attester',
              display: 'Attester',
            },
          ],
        },
        who: signer,
      },
    ],
    signature: [
      {
        type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" }],
        when: now,
        who: signer,
        sigFormat: 'text/plain',
        data: Buffer.from(`signed ${targets.join(',')} by ${signer.reference} at ${now}`).toString('base64'),
      },
    ],
    ...(reason ? { reason: [{ text: reason }] } : {}),
  };
}

/**
 * Clinical notes (issue 5 §5): a DocumentReference (index, status, rendered text) plus a Composition
 * (structured sections) per note, written together in one HAPI transaction. Drafts are preliminary;
 * signing makes both final and records a Provenance naming the signer; signed notes never change again,
 * an amendment is a new note that `replaces` (or `appends`) the old one, which is marked superseded.
 * Sharing sends a Communication to the patient's care team. A draft belongs to its author: others with
 * access read it (marked draft) but only the author edits, signs or discards it; a signed note names its
 * author, signer and signing time.
 */
export function notesRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['documentation'];

  /** The note, its template and its patient, after the access check (which needs the patient id). */
  async function loadNote(ctx: Parameters<typeof requirePatientAccess>[1], id: string, action: string) {
    const doc = await readOr404(deps, 'DocumentReference', id);
    const patientId = patientIdOf(doc.subject);
    const template = NOTE_TEMPLATES[templateIdOf(doc) ?? ''];
    if (!patientId || !template)
      throw badRequest('Not a note managed by this API', [{ field: 'params.id', message: 'no template or patient' }]);
    const guard = await requirePatientAccess(deps, ctx, patientId, {
      action,
      resourceType: 'DocumentReference',
      resourceId: id,
    });
    return { doc, patientId, template, guard };
  }

  async function readComposition(doc: fhir4.DocumentReference): Promise<fhir4.Composition | undefined> {
    const cid = compositionIdOf(doc);
    return cid ? deps.fhir.read('Composition', cid) : undefined;
  }

  /**
   * The note is already signed in HAPI when this runs: an outbox failure (PostgreSQL down) must not turn a
   * done signature into an error the client would retry, so it is logged loudly instead.
   */
  async function publishSigned(e: {
    patientId: string;
    resourceId: string;
    actorUserId: string;
    data: Record<string, string | null>;
  }) {
    await deps.events
      .publish({ type: 'notes.signed', resourceType: 'DocumentReference', ...e })
      .catch((err: Error) =>
        deps.logger.error({ err: { message: err.message }, resourceId: e.resourceId }, 'notes.signed event not queued'),
      );
  }

  /** The API user's display name, kept on the author/signer reference so the note names people, not ids. */
  async function displayNameOf(userId: string): Promise<string | undefined> {
    const { rows } = await deps.pg.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [
      userId,
    ]);
    return rows[0]?.display_name;
  }

  /** `comp` gives the sections (when `t` is known) and the signing time. */
  const view = (doc: fhir4.DocumentReference, p: Principal, comp?: fhir4.Composition, t?: NoteTemplate): Note => {
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
    (): NoteTemplateList => ({ templates: Object.values(NOTE_TEMPLATES) }),
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
    async (ctx): Promise<NoteList> => {
      const g = await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'note.list',
        resourceType: 'DocumentReference',
      });
      await readOr404(deps, 'Patient', ctx.params.patientId);
      // The Compositions come along for the signing time (Composition.attester).
      const bundle = await deps.fhir.search('DocumentReference', {
        patient: ctx.params.patientId,
        _sort: '-date',
        _count: ctx.query.limit,
        _include: 'DocumentReference:related',
      });
      const entries = (bundle.entry ?? []).map((e) => e.resource as fhir4.FhirResource | undefined);
      const comps = new Map(
        entries.filter((r): r is fhir4.Composition => r?.resourceType === 'Composition').map((c) => [c.id, c]),
      );
      const docs = entries.filter((r): r is fhir4.DocumentReference => r?.resourceType === 'DocumentReference');
      // A patient sees signed notes only: drafts are work in progress of the clinician.
      const notes = docs
        .filter(
          (d) =>
            (!ctx.query.status || d.docStatus === ctx.query.status) &&
            (ctx.principal.role !== 'patient' || d.docStatus !== 'preliminary'),
        )
        .map((d) => view(d, ctx.principal, comps.get(compositionIdOf(d))));
      g.note({ count: notes.length });
      return { notes };
    },
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
    async (ctx): Promise<Note> => {
      const { patientId } = ctx.params;
      const t = NOTE_TEMPLATES[ctx.body.template]!;
      const problems = checkSections(t, ctx.body.sections, false);
      if (problems.length) throw badRequest('Unknown note sections', problems);
      const g = await requirePatientAccess(deps, ctx, patientId, {
        action: 'note.create',
        resourceType: 'DocumentReference',
      });
      await readOr404(deps, 'Patient', patientId);
      const author = {
        reference: ctx.principal.practitionerId ? `Practitioner/${ctx.principal.practitionerId}` : undefined,
        display: await displayNameOf(ctx.principal.userId),
        userId: ctx.principal.userId,
      };
      const nc = {
        patientId,
        author,
        encounterId: ctx.body.encounterId,
        title: ctx.body.title ?? t.title,
        date: new Date().toISOString(),
      };
      const compUrl = uuid();
      const docUrl = uuid();
      const out = await deps.fhir.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: compUrl,
            resource: buildComposition(t, nc, ctx.body.sections, 'preliminary'),
            request: { method: 'POST', url: 'Composition' },
          },
          {
            fullUrl: docUrl,
            resource: buildDocumentReference(t, nc, ctx.body.sections, 'preliminary', compUrl),
            request: { method: 'POST', url: 'DocumentReference' },
          },
        ],
      });
      const { id } = locationOf(out.entry?.[1]);
      const doc = await deps.fhir.read('DocumentReference', id!);
      g.setResource('DocumentReference', id);
      g.note({ template: t.id });
      setEtag(ctx.res, doc);
      return view(doc, ctx.principal, await readComposition(doc), t);
    },
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
    async (ctx): Promise<Note> => {
      const { doc, template } = await loadNote(ctx, ctx.params.id, 'note.read');
      if (ctx.principal.role === 'patient' && doc.docStatus === 'preliminary')
        throw notFound('DocumentReference', ctx.params.id);
      setEtag(ctx.res, doc);
      return view(doc, ctx.principal, await readComposition(doc), template);
    },
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
    async (ctx): Promise<Note> => {
      const { doc, patientId, template, guard } = await loadNote(ctx, ctx.params.id, 'note.update');
      if (isSigned(doc))
        throw conflict(
          'A signed note cannot be edited; amend it instead',
          { docStatus: doc.docStatus, amend: `/api/notes/${doc.id}/amend` },
          'NOTE_SIGNED',
        );
      requireDraftAuthor(doc, ctx.principal, guard);
      const version = requireIfMatch(ctx.req);
      assertVersion(doc, version);
      const problems = checkSections(template, ctx.body.sections, false);
      if (problems.length) throw badRequest('Unknown note sections', problems);
      const comp = await readComposition(doc);
      const nc = {
        patientId,
        author: authorOf(doc),
        encounterId: doc.context?.encounter?.[0]?.reference?.split('/')[1],
        title: ctx.body.title ?? doc.description ?? template.title,
        date: new Date().toISOString(),
      };
      const newDoc = {
        ...buildDocumentReference(template, nc, ctx.body.sections, 'preliminary', `Composition/${comp!.id}`),
        id: doc.id,
      };
      const out = await deps.fhir
        .transaction({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: newDoc,
              request: { method: 'PUT', url: `DocumentReference/${doc.id}`, ifMatch: `W/"${version}"` },
            },
            {
              resource: { ...buildComposition(template, nc, ctx.body.sections, 'preliminary'), id: comp!.id },
              request: { method: 'PUT', url: `Composition/${comp!.id}`, ifMatch: `W/"${comp!.meta?.versionId}"` },
            },
          ],
        })
        .catch((err) => {
          if ((err as { status?: number }).status === 409)
            throw conflict('The note changed since you read it', { expected: version }, 'VERSION_CONFLICT');
          throw err;
        });
      const updated = await deps.fhir.read('DocumentReference', locationOf(out.entry?.[0]).id ?? doc.id!);
      setEtag(ctx.res, updated);
      return view(updated, ctx.principal, await readComposition(updated), template);
    },
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
    async (ctx) => {
      const { doc, guard } = await loadNote(ctx, ctx.params.id, 'note.delete');
      if (isSigned(doc))
        throw conflict(
          'A signed note cannot be deleted; amend it instead',
          { docStatus: doc.docStatus, amend: `/api/notes/${doc.id}/amend` },
          'NOTE_SIGNED',
        );
      requireDraftAuthor(doc, ctx.principal, guard);
      const cid = compositionIdOf(doc);
      await deps.fhir
        .transaction({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { request: { method: 'DELETE', url: `DocumentReference/${doc.id}` } },
            ...(cid ? [{ request: { method: 'DELETE' as const, url: `Composition/${cid}` } }] : []),
          ],
        })
        .catch((err) => {
          if ((err as { status?: number }).status === 409)
            throw conflict(
              'The draft is referenced elsewhere (e.g. shared) and cannot be discarded',
              undefined,
              'NOTE_REFERENCED',
            );
          throw err;
        });
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/notes/:id/sign',
      summary: 'Sign a draft note (final + Provenance; publishes notes.signed)',
      tags,
      auth: 'document:sign',
      params: NoteParams,
      response: SignedNote,
    },
    async (ctx): Promise<SignedNote> => {
      const signer: fhir4.Reference = {
        reference: signerRef(ctx.principal),
        display: await displayNameOf(ctx.principal.userId),
      };
      const { doc, patientId, template, guard } = await loadNote(ctx, ctx.params.id, 'note.sign');
      if (isSigned(doc)) throw conflict('This note is already signed', { docStatus: doc.docStatus }, 'NOTE_SIGNED');
      requireDraftAuthor(doc, ctx.principal, guard);
      const comp = (await readComposition(doc))!;
      const problems = checkSections(template, sectionsOf(template, comp), true);
      if (problems.length) throw badRequest('The note is incomplete', problems);
      const now = new Date().toISOString();
      const out = await deps.fhir
        .transaction({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: { ...doc, docStatus: 'final', authenticator: signer },
              request: { method: 'PUT', url: `DocumentReference/${doc.id}`, ifMatch: `W/"${doc.meta?.versionId}"` },
            },
            {
              resource: { ...comp, status: 'final', attester: [{ mode: 'legal', time: now, party: signer }] },
              request: { method: 'PUT', url: `Composition/${comp.id}`, ifMatch: `W/"${comp.meta?.versionId}"` },
            },
            {
              resource: provenance([`DocumentReference/${doc.id}`, `Composition/${comp.id}`], signer, now, 'sign'),
              request: { method: 'POST', url: 'Provenance' },
            },
          ],
        })
        .catch((err) => {
          if ((err as { status?: number }).status === 409)
            throw conflict('The note changed while signing; reload', undefined, 'VERSION_CONFLICT');
          throw err;
        });
      const provenanceId = locationOf(out.entry?.[2]).id;
      await publishSigned({
        patientId,
        resourceId: doc.id!,
        actorUserId: ctx.principal.userId,
        data: { template: template.id, provenanceId: provenanceId ?? null },
      });
      guard.note({ provenanceId });
      const signed = await deps.fhir.read('DocumentReference', doc.id!);
      setEtag(ctx.res, signed);
      return { ...view(signed, ctx.principal, await readComposition(signed), template), provenanceId };
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
    async (ctx): Promise<Note> => {
      const signer: fhir4.Reference = {
        reference: signerRef(ctx.principal),
        display: await displayNameOf(ctx.principal.userId),
      };
      const { doc, patientId, template, guard } = await loadNote(ctx, ctx.params.id, 'note.amend');
      if (doc.docStatus !== 'final' && doc.docStatus !== 'amended')
        throw conflict(
          'Only a signed note can be amended; edit the draft instead',
          { docStatus: doc.docStatus },
          'NOTE_NOT_SIGNED',
        );
      if (doc.status !== 'current')
        throw conflict(
          'This note was already superseded; amend the latest version',
          { status: doc.status },
          'NOTE_SUPERSEDED',
        );
      const problems = checkSections(template, ctx.body.sections, ctx.body.mode === 'replaces');
      if (problems.length) throw badRequest('Invalid amendment sections', problems);
      const oldComp = await readComposition(doc);
      const now = new Date().toISOString();
      const nc = {
        patientId,
        author: { ...signer, userId: ctx.principal.userId },
        encounterId: doc.context?.encounter?.[0]?.reference?.split('/')[1],
        title: doc.description ?? template.title,
        date: now,
      };
      const compUrl = uuid();
      const docUrl = uuid();
      const newComp: fhir4.Composition = {
        ...buildComposition(template, nc, ctx.body.sections, 'amended'),
        attester: [{ mode: 'legal', time: now, party: signer }],
        ...(oldComp
          ? {
              relatesTo: [
                {
                  code: ctx.body.mode === 'replaces' ? 'replaces' : 'appends',
                  targetReference: { reference: `Composition/${oldComp.id}` },
                },
              ],
            }
          : {}),
      };
      const newDoc: fhir4.DocumentReference = {
        ...buildDocumentReference(template, nc, ctx.body.sections, 'amended', compUrl),
        authenticator: signer,
        relatesTo: [{ code: ctx.body.mode, target: { reference: `DocumentReference/${doc.id}` } }],
      };
      const entries: fhir4.BundleEntry[] = [
        { fullUrl: compUrl, resource: newComp, request: { method: 'POST', url: 'Composition' } },
        { fullUrl: docUrl, resource: newDoc, request: { method: 'POST', url: 'DocumentReference' } },
        {
          resource: provenance([docUrl, compUrl], signer, now, 'amend', ctx.body.reason),
          request: { method: 'POST', url: 'Provenance' },
        },
      ];
      // A replaced note stays readable but is no longer current; an appended one stays current.
      if (ctx.body.mode === 'replaces')
        entries.push({
          resource: { ...doc, status: 'superseded' },
          request: { method: 'PUT', url: `DocumentReference/${doc.id}`, ifMatch: `W/"${doc.meta?.versionId}"` },
        });
      const out = await deps.fhir
        .transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries })
        .catch((err) => {
          if ((err as { status?: number }).status === 409)
            throw conflict('The note changed while amending; reload', undefined, 'VERSION_CONFLICT');
          throw err;
        });
      const newId = locationOf(out.entry?.[1]).id!;
      await publishSigned({
        patientId,
        resourceId: newId,
        actorUserId: ctx.principal.userId,
        data: { template: template.id, amends: doc.id!, mode: ctx.body.mode },
      });
      guard.note({ amendedBy: newId, mode: ctx.body.mode });
      const created = await deps.fhir.read('DocumentReference', newId);
      setEtag(ctx.res, created);
      return view(created, ctx.principal, await readComposition(created), template);
    },
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
    async (ctx): Promise<NoteShared> => {
      if (ctx.principal.role === 'patient') throw forbidden('Sharing is for clinical staff');
      const { doc, patientId, guard } = await loadNote(ctx, ctx.params.id, 'note.share');
      let recipients = ctx.body.recipients?.map((id) => `Practitioner/${id}`);
      if (!recipients) {
        const teams = await deps.fhir.searchResources('CareTeam', { patient: patientId, status: 'active', _count: 20 });
        recipients = [
          ...new Set(
            teams.flatMap((t) =>
              (t.participant ?? [])
                .map((p) => p.member?.reference)
                .filter((x): x is string => !!x && x.startsWith('Practitioner/')),
            ),
          ),
        ];
      }
      const me = ctx.principal.practitionerId ? `Practitioner/${ctx.principal.practitionerId}` : undefined;
      recipients = recipients.filter((x) => x !== me);
      if (!recipients.length)
        throw conflict(
          'No care-team member to share with; name the recipients',
          { field: 'body.recipients' },
          'NO_RECIPIENTS',
        );
      const comm = await deps.fhir.create<fhir4.Communication>({
        resourceType: 'Communication',
        status: 'completed',
        subject: { reference: `Patient/${patientId}` },
        category: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' }],
          },
        ],
        about: [{ reference: `DocumentReference/${doc.id}` }],
        payload: [{ contentReference: { reference: `DocumentReference/${doc.id}` } }],
        recipient: recipients.map((reference) => ({ reference })),
        sent: new Date().toISOString(),
        ...(me ? { sender: { reference: me } } : {}),
      });
      guard.note({ communicationId: comm.id, recipients: recipients.length });
      return { communicationId: comm.id!, recipients };
    },
  );

  return r;
}
