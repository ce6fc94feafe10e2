import type { Request, Response } from 'express';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { forbidden, notFound } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { refId } from './item-mapping';
import { attachmentAt, contentDisposition } from './message-attachments';
import type { ProxyFiling } from './portal.service';

interface Call {
  req: Request;
  res: Response;
  principal: Principal;
}

const isPatientMessage = (c: fhir4.Communication) =>
  !!c.category?.some((cat) => cat.coding?.some((x) => x.code === 'patient-message'));

/**
 * Sends one file of a patient's message: to the patient (or their proxy, whose principal already carries the
 * subject) and to staff with access to that patient — the ordinary patient access check, which audits the read. Only
 * patient messages are served here, and only a Binary whose securityContext is that patient, so this route cannot
 * be used to read any other Binary.
 */
export async function sendAttachment(
  deps: AppDeps,
  call: Call,
  communicationId: string,
  index: number,
  proxy: ProxyFiling = {},
): Promise<void> {
  const comm = await readOr404(deps, 'Communication', communicationId);
  const patientId = refId(comm.subject?.reference, 'Patient');
  if (!patientId || !isPatientMessage(comm)) throw notFound('Communication', communicationId);
  const phi = await requirePatientAccess(deps, call, patientId, {
    action: 'portal.message.attachment.read',
    resourceType: 'Communication',
    resourceId: comm.id,
  });
  if (proxy.ownOnly && comm.sender?.reference !== proxy.sender)
    throw forbidden('This message was not sent by you', { communicationId });
  const found = attachmentAt(comm, index);
  if (!found) throw notFound('Attachment', `${communicationId}/${index}`);
  const binary = await readOr404(deps, 'Binary', found.binaryId);
  if (binary.securityContext?.reference !== `Patient/${patientId}`)
    throw notFound('Attachment', `${communicationId}/${index}`);
  const data = Buffer.from(binary.data ?? '', 'base64');
  phi.setResource('Binary', binary.id);
  phi.note({ communicationId, index, bytes: data.length });
  call.res
    .status(200)
    .set({
      'Content-Type': binary.contentType,
      'Content-Length': String(data.length),
      'Content-Disposition': contentDisposition(found.attachment.title ?? `attachment-${index + 1}`),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': 'sandbox',
      'Cache-Control': 'no-store',
    })
    .end(data);
}
