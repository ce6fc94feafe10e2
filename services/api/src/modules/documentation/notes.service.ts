import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  AmendNoteBody,
  CreateNoteBody,
  Note,
  NoteList,
  NoteListQuery,
  NoteShared,
  NoteTemplateList,
  ShareNoteBody,
  SignedNote,
  UpdateNoteBody,
} from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { requirePatientAccess, type PhiAccess } from '../../core/http/phi-guard';
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
import { authorOf, isDraftAuthor } from './note-authorship';
import { provenance } from './note-provenance';
import { NOTE_TEMPLATES } from './note-templates';
import { noteView } from './note-view';

/** The request a note operation runs for: the access check and its audit record need it, the ETag goes on its response. */
type Call = Parameters<typeof requirePatientAccess>[1];

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
function requireDraftAuthor(doc: fhir4.DocumentReference, p: Principal, guard: Pick<PhiAccess, 'note'>): void {
  if (isDraftAuthor(doc, p)) return;
  guard.note({ reason: 'NOT_DRAFT_AUTHOR' });
  throw forbidden('Only the author of a draft note may change, sign or discard it', {
    reason: 'NOT_DRAFT_AUTHOR',
    author: doc.author?.[0]?.display ?? doc.author?.[0]?.reference,
  });
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
export class NotesService {
  constructor(private readonly deps: AppDeps) {}

  templates(): NoteTemplateList {
    return { templates: Object.values(NOTE_TEMPLATES) };
  }

  async list(call: Call, patientId: string, query: z.output<typeof NoteListQuery>): Promise<NoteList> {
    const g = await requirePatientAccess(this.deps, call, patientId, {
      action: 'note.list',
      resourceType: 'DocumentReference',
    });
    await readOr404(this.deps, 'Patient', patientId);
    // The Compositions come along for the signing time (Composition.attester).
    const bundle = await this.deps.fhir.search('DocumentReference', {
      patient: patientId,
      _sort: '-date',
      _count: query.limit,
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
          (!query.status || d.docStatus === query.status) &&
          (call.principal.role !== 'patient' || d.docStatus !== 'preliminary'),
      )
      .map((d) => noteView(d, call.principal, comps.get(compositionIdOf(d))));
    g.note({ count: notes.length });
    return { notes };
  }

  async create(call: Call, patientId: string, body: z.output<typeof CreateNoteBody>): Promise<Note> {
    const t = NOTE_TEMPLATES[body.template]!;
    const problems = checkSections(t, body.sections, false);
    if (problems.length) throw badRequest('Unknown note sections', problems);
    const g = await requirePatientAccess(this.deps, call, patientId, {
      action: 'note.create',
      resourceType: 'DocumentReference',
    });
    await readOr404(this.deps, 'Patient', patientId);
    if (body.encounterId) {
      // A note joins only this patient's visit; another patient's encounter answers like an unknown one.
      const enc = await readOr404(this.deps, 'Encounter', body.encounterId).catch((err: unknown) => {
        if (err instanceof AppError && err.status === 404) return undefined;
        throw err;
      });
      if (enc?.subject?.reference !== `Patient/${patientId}`)
        throw badRequest('Unknown encounter for this patient', [
          { field: 'body.encounterId', message: 'not an encounter of this patient' },
        ]);
    }
    const author = {
      reference: call.principal.practitionerId ? `Practitioner/${call.principal.practitionerId}` : undefined,
      display: await this.displayNameOf(call.principal.userId),
      userId: call.principal.userId,
    };
    const nc = {
      patientId,
      author,
      encounterId: body.encounterId,
      title: body.title ?? t.title,
      date: new Date().toISOString(),
    };
    const compUrl = uuid();
    const docUrl = uuid();
    const out = await this.deps.fhir.transaction({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: compUrl,
          resource: buildComposition(t, nc, body.sections, 'preliminary'),
          request: { method: 'POST', url: 'Composition' },
        },
        {
          fullUrl: docUrl,
          resource: buildDocumentReference(t, nc, body.sections, 'preliminary', compUrl),
          request: { method: 'POST', url: 'DocumentReference' },
        },
      ],
    });
    const { id } = locationOf(out.entry?.[1]);
    const doc = await this.deps.fhir.read('DocumentReference', id!);
    g.setResource('DocumentReference', id);
    g.note({ template: t.id });
    setEtag(call.res, doc);
    return noteView(doc, call.principal, await this.readComposition(doc), t);
  }

  async read(call: Call, id: string): Promise<Note> {
    const { doc, template } = await this.loadNote(call, id, 'note.read');
    if (call.principal.role === 'patient' && doc.docStatus === 'preliminary') throw notFound('DocumentReference', id);
    setEtag(call.res, doc);
    return noteView(doc, call.principal, await this.readComposition(doc), template);
  }

  async update(call: Call, id: string, body: z.output<typeof UpdateNoteBody>): Promise<Note> {
    const { doc, patientId, template, guard } = await this.loadNote(call, id, 'note.update');
    if (isSigned(doc))
      throw conflict(
        'A signed note cannot be edited; amend it instead',
        { docStatus: doc.docStatus, amend: `/api/notes/${doc.id}/amend` },
        'NOTE_SIGNED',
      );
    requireDraftAuthor(doc, call.principal, guard);
    const version = requireIfMatch(call.req);
    assertVersion(doc, version);
    const problems = checkSections(template, body.sections, false);
    if (problems.length) throw badRequest('Unknown note sections', problems);
    const comp = await this.readComposition(doc);
    const nc = {
      patientId,
      author: authorOf(doc),
      encounterId: doc.context?.encounter?.[0]?.reference?.split('/')[1],
      title: body.title ?? doc.description ?? template.title,
      date: new Date().toISOString(),
    };
    const newDoc = {
      ...buildDocumentReference(template, nc, body.sections, 'preliminary', `Composition/${comp!.id}`),
      id: doc.id,
    };
    const out = await this.deps.fhir
      .transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: newDoc,
            request: { method: 'PUT', url: `DocumentReference/${doc.id}`, ifMatch: `W/"${version}"` },
          },
          {
            resource: { ...buildComposition(template, nc, body.sections, 'preliminary'), id: comp!.id },
            request: { method: 'PUT', url: `Composition/${comp!.id}`, ifMatch: `W/"${comp!.meta?.versionId}"` },
          },
        ],
      })
      .catch((err) => {
        if ((err as { status?: number }).status === 409)
          throw conflict('The note changed since you read it', { expected: version }, 'VERSION_CONFLICT');
        throw err;
      });
    const updated = await this.deps.fhir.read('DocumentReference', locationOf(out.entry?.[0]).id ?? doc.id!);
    setEtag(call.res, updated);
    return noteView(updated, call.principal, await this.readComposition(updated), template);
  }

  async discard(call: Call, id: string): Promise<void> {
    const { doc, guard } = await this.loadNote(call, id, 'note.delete');
    if (isSigned(doc))
      throw conflict(
        'A signed note cannot be deleted; amend it instead',
        { docStatus: doc.docStatus, amend: `/api/notes/${doc.id}/amend` },
        'NOTE_SIGNED',
      );
    requireDraftAuthor(doc, call.principal, guard);
    const cid = compositionIdOf(doc);
    await this.deps.fhir
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
  }

  async sign(call: Call, id: string): Promise<SignedNote> {
    const signer: fhir4.Reference = {
      reference: signerRef(call.principal),
      display: await this.displayNameOf(call.principal.userId),
    };
    const { doc, patientId, template, guard } = await this.loadNote(call, id, 'note.sign');
    if (isSigned(doc)) throw conflict('This note is already signed', { docStatus: doc.docStatus }, 'NOTE_SIGNED');
    requireDraftAuthor(doc, call.principal, guard);
    const comp = (await this.readComposition(doc))!;
    const problems = checkSections(template, sectionsOf(template, comp), true);
    if (problems.length) throw badRequest('The note is incomplete', problems);
    const now = new Date().toISOString();
    const out = await this.deps.fhir
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
    await this.publishSigned({
      patientId,
      resourceId: doc.id!,
      actorUserId: call.principal.userId,
      data: { template: template.id, provenanceId: provenanceId ?? null },
    });
    guard.note({ provenanceId });
    const signed = await this.deps.fhir.read('DocumentReference', doc.id!);
    setEtag(call.res, signed);
    return { ...noteView(signed, call.principal, await this.readComposition(signed), template), provenanceId };
  }

  async amend(call: Call, id: string, body: z.output<typeof AmendNoteBody>): Promise<Note> {
    const signer: fhir4.Reference = {
      reference: signerRef(call.principal),
      display: await this.displayNameOf(call.principal.userId),
    };
    const { doc, patientId, template, guard } = await this.loadNote(call, id, 'note.amend');
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
    const problems = checkSections(template, body.sections, body.mode === 'replaces');
    if (problems.length) throw badRequest('Invalid amendment sections', problems);
    const oldComp = await this.readComposition(doc);
    const now = new Date().toISOString();
    const nc = {
      patientId,
      author: { ...signer, userId: call.principal.userId },
      encounterId: doc.context?.encounter?.[0]?.reference?.split('/')[1],
      title: doc.description ?? template.title,
      date: now,
    };
    const compUrl = uuid();
    const docUrl = uuid();
    const newComp: fhir4.Composition = {
      ...buildComposition(template, nc, body.sections, 'amended'),
      attester: [{ mode: 'legal', time: now, party: signer }],
      ...(oldComp
        ? {
            relatesTo: [
              {
                code: body.mode === 'replaces' ? 'replaces' : 'appends',
                targetReference: { reference: `Composition/${oldComp.id}` },
              },
            ],
          }
        : {}),
    };
    const newDoc: fhir4.DocumentReference = {
      ...buildDocumentReference(template, nc, body.sections, 'amended', compUrl),
      authenticator: signer,
      relatesTo: [{ code: body.mode, target: { reference: `DocumentReference/${doc.id}` } }],
    };
    const entries: fhir4.BundleEntry[] = [
      { fullUrl: compUrl, resource: newComp, request: { method: 'POST', url: 'Composition' } },
      { fullUrl: docUrl, resource: newDoc, request: { method: 'POST', url: 'DocumentReference' } },
      {
        resource: provenance([docUrl, compUrl], signer, now, 'amend', body.reason),
        request: { method: 'POST', url: 'Provenance' },
      },
    ];
    // A replaced note stays readable but is no longer current; an appended one stays current.
    if (body.mode === 'replaces')
      entries.push({
        resource: { ...doc, status: 'superseded' },
        request: { method: 'PUT', url: `DocumentReference/${doc.id}`, ifMatch: `W/"${doc.meta?.versionId}"` },
      });
    const out = await this.deps.fhir
      .transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries })
      .catch((err) => {
        if ((err as { status?: number }).status === 409)
          throw conflict('The note changed while amending; reload', undefined, 'VERSION_CONFLICT');
        throw err;
      });
    const newId = locationOf(out.entry?.[1]).id!;
    await this.publishSigned({
      patientId,
      resourceId: newId,
      actorUserId: call.principal.userId,
      data: { template: template.id, amends: doc.id!, mode: body.mode },
    });
    guard.note({ amendedBy: newId, mode: body.mode });
    const created = await this.deps.fhir.read('DocumentReference', newId);
    setEtag(call.res, created);
    return noteView(created, call.principal, await this.readComposition(created), template);
  }

  async share(call: Call, id: string, body: z.output<typeof ShareNoteBody>): Promise<NoteShared> {
    if (call.principal.role === 'patient') throw forbidden('Sharing is for clinical staff');
    const { doc, patientId, guard } = await this.loadNote(call, id, 'note.share');
    let recipients = body.recipients?.map((id) => `Practitioner/${id}`);
    if (!recipients) {
      const teams = await this.deps.fhir.searchResources('CareTeam', {
        patient: patientId,
        status: 'active',
        _count: 20,
      });
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
    const me = call.principal.practitionerId ? `Practitioner/${call.principal.practitionerId}` : undefined;
    recipients = recipients.filter((x) => x !== me);
    if (!recipients.length)
      throw conflict(
        'No care-team member to share with; name the recipients',
        { field: 'body.recipients' },
        'NO_RECIPIENTS',
      );
    const comm = await this.deps.fhir.create<fhir4.Communication>({
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
  }

  /** The note, its template and its patient, after the access check (which needs the patient id). */
  private async loadNote(call: Call, id: string, action: string) {
    const doc = await readOr404(this.deps, 'DocumentReference', id);
    const patientId = patientIdOf(doc.subject);
    const template = NOTE_TEMPLATES[templateIdOf(doc) ?? ''];
    if (!patientId || !template)
      throw badRequest('Not a note managed by this API', [{ field: 'params.id', message: 'no template or patient' }]);
    const guard = await requirePatientAccess(this.deps, call, patientId, {
      action,
      resourceType: 'DocumentReference',
      resourceId: id,
    });
    return { doc, patientId, template, guard };
  }

  private async readComposition(doc: fhir4.DocumentReference): Promise<fhir4.Composition | undefined> {
    const cid = compositionIdOf(doc);
    return cid ? this.deps.fhir.read('Composition', cid) : undefined;
  }

  /**
   * The note is already signed in HAPI when this runs: an outbox failure (PostgreSQL down) must not turn a
   * done signature into an error the client would retry, so it is logged loudly instead.
   */
  private async publishSigned(e: {
    patientId: string;
    resourceId: string;
    actorUserId: string;
    data: Record<string, string | null>;
  }) {
    await this.deps.events
      .publish({ type: 'notes.signed', resourceType: 'DocumentReference', ...e })
      .catch((err: Error) =>
        this.deps.logger.error(
          { err: { message: err.message }, resourceId: e.resourceId },
          'notes.signed event not queued',
        ),
      );
  }

  /** The API user's display name, kept on the author/signer reference so the note names people, not ids. */
  private async displayNameOf(userId: string): Promise<string | undefined> {
    const { rows } = await this.deps.pg.query<{ display_name: string }>(
      'SELECT display_name FROM users WHERE id = $1',
      [userId],
    );
    return rows[0]?.display_name;
  }
}
