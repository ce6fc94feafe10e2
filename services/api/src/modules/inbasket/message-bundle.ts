import { randomUUID } from 'node:crypto';
import type { AcceptedAttachment } from './attachments';
import { messageTask, patientMessage, type PatientMessageFields } from './portal-tasks';

export interface MessageTransaction {
  bundle: fhir4.Bundle;
  communication: fhir4.Communication;
  task: fhir4.Task;
}

/**
 * A patient's message as ONE FHIR transaction: a Binary per file (readable only in the patient's compartment through
 * its securityContext), the Communication pointing at them and the in-basket Task pointing at the Communication, all by
 * urn:uuid — so the message lands in the in-basket whole or not at all. Pure apart from fresh uuids.
 */
export function messageTransaction(
  o: PatientMessageFields & { files: readonly AcceptedAttachment[] },
  uuid: () => string = randomUUID,
): MessageTransaction {
  const urn = () => `urn:uuid:${uuid()}`;
  const binaries = o.files.map((f) => ({
    fullUrl: urn(),
    resource: {
      resourceType: 'Binary',
      contentType: f.contentType,
      securityContext: { reference: `Patient/${o.patientId}` },
      data: f.data.toString('base64'),
    } satisfies fhir4.Binary,
    request: { method: 'POST' as const, url: 'Binary' },
  }));
  const communication = patientMessage({
    ...o,
    attachments: o.files.map((f, i) => ({
      contentType: f.contentType,
      url: binaries[i]!.fullUrl,
      size: f.size,
      hash: f.hash,
      title: f.title,
    })),
  });
  const commUrl = urn();
  const task = messageTask({ ...o, communication: commUrl });
  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...binaries,
        { fullUrl: commUrl, resource: communication, request: { method: 'POST', url: 'Communication' } },
        { fullUrl: urn(), resource: task, request: { method: 'POST', url: 'Task' } },
      ],
    },
    communication,
    task,
  };
}
