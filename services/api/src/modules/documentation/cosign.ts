import { hasPermission, type Role, type SignNoteBody } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, forbidden } from '../../core/errors';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { compositionIdOf, isSigned } from './note-builder';

/**
 * Co-signature (issue 15): a signed note may name a co-signer; the co-signer gets an in-basket Task and, on
 * co-signing, is added to the note as a professional attester with a Provenance of their own. The author's legal
 * signature is untouched.
 */
const TASK_TYPE_SYSTEM = 'urn:wintehr:task-type';

/** The co-signer's Practitioner id, checked: an active user (or a Practitioner) who may sign notes, not the signer. */
export async function resolveCosigner(
  deps: Pick<AppDeps, 'pg' | 'fhir'>,
  principal: Principal,
  body: SignNoteBody | undefined,
): Promise<string | undefined> {
  if (!body?.cosignerUserId && !body?.cosignerPractitionerId) return undefined;
  let practitionerId = body.cosignerPractitionerId;
  if (body.cosignerUserId) {
    const { rows } = await deps.pg.query<{ role: Role; practitioner: string | null; disabled: boolean }>(
      'SELECT role, fhir_practitioner_id AS practitioner, disabled FROM users WHERE id = $1',
      [body.cosignerUserId],
    );
    const u = rows[0];
    if (!u || u.disabled || !u.practitioner || !hasPermission(u.role, 'document:sign'))
      throw badRequest('This co-signer cannot sign notes', [
        { field: 'body.cosignerUserId', message: 'an active user linked to a Practitioner, allowed to sign notes' },
      ]);
    practitionerId = u.practitioner;
  } else if (practitionerId) {
    await deps.fhir.read('Practitioner', practitionerId).catch(() => {
      throw badRequest('Unknown co-signer', [
        { field: 'body.cosignerPractitionerId', message: `Practitioner/${practitionerId} not found` },
      ]);
    });
  }
  if (practitionerId === principal.practitionerId)
    throw badRequest('You cannot co-sign your own note', [{ field: 'body', message: 'name someone else' }]);
  return practitionerId;
}

/** Pure: the co-sign request addressed to the co-signer. */
export function cosignTask(o: {
  docId: string;
  patientId: string;
  title?: string;
  requesterPractitionerId?: string;
  cosignerPractitionerId: string;
  now: Date;
}): fhir4.Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: TASK_TYPE_SYSTEM, code: 'note-cosign', display: 'Note to co-sign' }] },
    description: o.title ? `Co-sign: ${o.title}` : 'Co-sign a note',
    focus: { reference: `DocumentReference/${o.docId}` },
    for: { reference: `Patient/${o.patientId}` },
    ...(o.requesterPractitionerId ? { requester: { reference: `Practitioner/${o.requesterPractitionerId}` } } : {}),
    owner: { reference: `Practitioner/${o.cosignerPractitionerId}` },
    authoredOn: o.now.toISOString(),
  };
}

/** Files the co-sign Task after the signature; the signature stands even if this fails (logged). */
export async function requestCosign(
  deps: Pick<AppDeps, 'fhir' | 'events' | 'logger'>,
  o: Omit<Parameters<typeof cosignTask>[0], 'now'> & { actorUserId: string },
): Promise<string | undefined> {
  try {
    const task = await deps.fhir.create(cosignTask({ ...o, now: new Date() }));
    await deps.events.publish({
      type: 'inbox.item.created',
      patientId: o.patientId,
      resourceType: 'Task',
      resourceId: task.id,
      actorUserId: o.actorUserId,
      data: { kind: 'note-cosign', ownerPractitionerId: o.cosignerPractitionerId, documentId: o.docId },
    });
    return task.id;
  } catch (err) {
    deps.logger.error(
      { err: { message: (err as Error).message }, documentId: o.docId },
      'documentation: note signed but its co-sign Task was not filed',
    );
    return undefined;
  }
}

/** Pure: the Composition with the co-signer as professional attester. */
export function withCosigner(comp: fhir4.Composition, party: fhir4.Reference, now: string): fhir4.Composition {
  return { ...comp, attester: [...(comp.attester ?? []), { mode: 'professional', time: now, party }] };
}

/** The co-signer adds their attestation to a signed note (Composition.attester + Provenance), in one transaction. */
export async function cosignNote(
  deps: Pick<AppDeps, 'fhir'>,
  principal: Principal,
  docId: string,
): Promise<{ provenanceId?: string }> {
  if (!principal.practitionerId) throw forbidden('Co-signing needs a user linked to a Practitioner');
  const doc = await readOr404(deps, 'DocumentReference', docId);
  if (!isSigned(doc) || doc.status !== 'current')
    throw conflict('Only a current signed note can be co-signed', { docStatus: doc.docStatus }, 'NOTE_NOT_SIGNED');
  const cid = compositionIdOf(doc);
  if (!cid) throw conflict('The note has no composition', {}, 'INVALID_STATE');
  const comp = await deps.fhir.read('Composition', cid);
  const party = { reference: `Practitioner/${principal.practitionerId}` };
  if (comp.attester?.some((a) => a.party?.reference === party.reference && a.mode === 'professional'))
    throw conflict('You already co-signed this note', {}, 'ALREADY_COSIGNED');
  const now = new Date().toISOString();
  const out = await deps.fhir.transaction({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resource: withCosigner(comp, party, now),
        request: { method: 'PUT', url: `Composition/${comp.id}`, ifMatch: `W/"${comp.meta?.versionId}"` },
      },
      {
        resource: {
          resourceType: 'Provenance',
          target: [{ reference: `DocumentReference/${doc.id}` }, { reference: `Composition/${comp.id}` }],
          recorded: now,
          activity: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }],
            text: 'Note co-signed',
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
              who: party,
            },
          ],
        },
        request: { method: 'POST', url: 'Provenance' },
      },
    ],
  });
  const loc = out.entry?.[1]?.response?.location ?? '';
  return { provenanceId: idFromReference(loc.split('/_history')[0], 'Provenance') };
}
