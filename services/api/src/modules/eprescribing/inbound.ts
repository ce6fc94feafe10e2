import { timingSafeEqual } from 'node:crypto';
import type { AppDeps } from '../../core/deps';
import { AppError } from '../../core/errors';
import { erxRepository } from './erx.repository';
import { inboxTask, MESSAGE_ID_SYSTEM, refId } from './erx-tasks';
import {
  buildScriptXml,
  FHIR_SYSTEMS,
  parseScriptXml,
  ScriptParseError,
  type ScriptHeader,
  type ScriptMessage,
  type StatusLike,
} from './ncpdp';
import { newMessageId, SOFTWARE } from './erx.service';

/**
 * Messages the network delivers to us (POST /api/erx/inbound). Each answer is SCRIPT XML: Status 010 when the
 * message was applied (or had been: a redelivered MessageID gets the original answer, nothing is applied twice),
 * Error otherwise, with nothing applied:
 *  - 401 + Error 900/4000 when the network's basic credentials are missing or wrong;
 *  - 400 + Error 900/1000 when the body is not a well-formed SCRIPT message, 900/2000 when it lacks what we need,
 *    900/1001 when it refers to a prescription we never sent;
 *  - 503 + Error 602 when we could not apply it now (HAPI/PostgreSQL down): the network retries.
 */
export interface InboundAnswer {
  httpStatus: number;
  xml: string;
}
type Inbound = Extract<ScriptMessage, { type: 'RxRenewalRequest' | 'RxChangeRequest' | 'Status' | 'Verify' | 'Error' }>;

function equal(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HTTP basic credentials of the network. Read from X-Network-Authorization or Authorization (see README). */
export const DEV_INBOUND_PASSWORD = 'dev-inbound-secret';
export function networkAuthenticated(deps: AppDeps, headerValue: string | undefined): boolean {
  // The development default must never open a production endpoint.
  if (deps.config.env === 'production' && deps.config.erx.inboundPassword === DEV_INBOUND_PASSWORD) return false;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headerValue?.trim() ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return false;
  return (
    equal(decoded.slice(0, i), deps.config.erx.inboundUser) &&
    equal(decoded.slice(i + 1), deps.config.erx.inboundPassword)
  );
}

function answer(
  to: ScriptHeader['from'] | undefined,
  relatesTo: string | undefined,
  type: 'Status' | 'Error',
  status: StatusLike,
  httpStatus: number,
): InboundAnswer {
  const header: ScriptHeader = {
    to: to ?? { qualifier: 'M', id: 'SURESCRIPTS' },
    from: { qualifier: 'D', id: 'WINTEHR' },
    messageId: newMessageId(),
    relatesToMessageId: relatesTo,
    sentTime: new Date().toISOString(),
    software: SOFTWARE,
  };
  return { httpStatus, xml: buildScriptXml({ type, header, status } as ScriptMessage) };
}
export const errorAnswer = (
  httpStatus: number,
  descriptionCode: string,
  description: string,
  to?: ScriptHeader['from'],
  relatesTo?: string,
  code = '900',
) => answer(to, relatesTo, 'Error', { code, descriptionCode, description }, httpStatus);

export async function handleInbound(
  deps: AppDeps,
  authHeader: string | undefined,
  body: unknown,
): Promise<InboundAnswer & { outcome: string; messageId?: string; messageType?: string; taskId?: string }> {
  if (!networkAuthenticated(deps, authHeader))
    return { ...errorAnswer(401, '4000', 'Authentication failed'), outcome: 'unauthenticated' };
  let msg: ScriptMessage;
  try {
    msg = parseScriptXml(typeof body === 'string' ? body : '');
  } catch (e) {
    const why = e instanceof ScriptParseError ? e.message : 'unreadable message';
    return { ...errorAnswer(400, '1000', why), outcome: 'malformed' };
  }
  const from = msg.header.from;
  const mid = msg.header.messageId;
  if (!['RxRenewalRequest', 'RxChangeRequest', 'Status', 'Verify', 'Error'].includes(msg.type)) {
    return {
      ...errorAnswer(400, '1000', `Message type ${msg.type} is not accepted by this prescriber system`, from, mid),
      outcome: 'unsupported',
      messageId: mid,
      messageType: msg.type,
    };
  }
  const m = msg as Inbound;
  const seen = await erxRepository.get(deps.pg, mid);
  if (seen) {
    if (seen.direction === 'inbound' && seen.responsePayload)
      return {
        httpStatus: 200,
        xml: seen.responsePayload,
        outcome: 'duplicate',
        messageId: mid,
        messageType: m.type,
        taskId: seen.taskId ?? undefined,
      };
    return {
      ...errorAnswer(400, '1000', 'MessageID already used', from, mid),
      outcome: 'conflict',
      messageId: mid,
      messageType: m.type,
    };
  }
  const relatesTo = m.header.relatesToMessageId;
  const original = relatesTo ? await erxRepository.get(deps.pg, relatesTo) : undefined;
  if (!original || original.direction !== 'outbound') {
    return {
      ...errorAnswer(
        400,
        '1001',
        'RelatesToMessageID does not match a message sent by this prescriber system',
        from,
        mid,
      ),
      outcome: 'unknown-reference',
      messageId: mid,
      messageType: m.type,
    };
  }

  try {
    if (m.type === 'Status' || m.type === 'Verify' || m.type === 'Error')
      return await applyAsyncAnswer(deps, m, original.messageId, body as string);
    return await createInboxItem(deps, m, original, body as string);
  } catch (err) {
    const status = err instanceof AppError ? err.status : 500;
    deps.logger.error(
      { err: { message: (err as Error).message }, messageId: mid, type: m.type },
      'inbound erx message not applied',
    );
    // HAPI/PostgreSQL unavailable: a system error the network retries. Nothing was committed.
    return {
      ...errorAnswer(
        status === 503 || status === 500 ? 503 : 400,
        status >= 500 ? '1000' : '2000',
        'Receiver could not apply the message now',
        from,
        mid,
        status >= 500 ? '602' : '900',
      ),
      outcome: 'failed',
      messageId: mid,
      messageType: m.type,
    };
  }
}

/** A late Status/Verify/Error from the pharmacy about one of our messages. */
async function applyAsyncAnswer(
  deps: AppDeps,
  m: Extract<Inbound, { type: 'Status' | 'Verify' | 'Error' }>,
  originalId: string,
  xml: string,
) {
  const ok = answer(m.header.from, m.header.messageId, 'Status', { code: '010' }, 200);
  await erxRepository.insert(deps.pg, {
    messageId: m.header.messageId,
    direction: 'inbound',
    type: m.type,
    status: 'received',
    payload: xml,
    relatesToMessageId: originalId,
  });
  await erxRepository.setResponse(deps.pg, m.header.messageId, ok.xml, '010');
  const final = m.type === 'Error' ? 'rejected' : 'accepted';
  const reason =
    m.type === 'Error'
      ? `${m.status.code}/${m.status.descriptionCode ?? ''}: ${m.status.description ?? ''}`
      : undefined;
  const moved = await erxRepository.complete(deps.pg, originalId, {
    status: final,
    reason,
    responseCode: m.status.code,
  });
  if (moved) {
    const row = await erxRepository.get(deps.pg, originalId);
    await deps.events.publish({
      type: 'erx.status.changed',
      patientId: row?.patientId ?? undefined,
      resourceType: 'MedicationRequest',
      resourceId: row?.medicationRequestId ?? undefined,
      data: { messageId: originalId, status: final },
    });
  }
  return { ...ok, outcome: 'applied', messageId: m.header.messageId, messageType: m.type };
}

async function createInboxItem(
  deps: AppDeps,
  m: Extract<Inbound, { type: 'RxRenewalRequest' | 'RxChangeRequest' }>,
  original: NonNullable<Awaited<ReturnType<typeof erxRepository.get>>>,
  xml: string,
) {
  const mrId = original.medicationRequestId;
  const patientId = original.patientId;
  if (!mrId || !patientId) throw new AppError(400, 'ERX_REFERENCE', 'original message has no prescription');
  const mr = await deps.fhir.read('MedicationRequest', mrId);
  const practitionerId = refId(mr.requester?.reference, 'Practitioner');
  if (!practitionerId) throw new AppError(400, 'ERX_REFERENCE', 'prescription has no prescriber');
  const ncpdp = m.content.pharmacy.ncpdpId || m.header.from.id;
  const orgs = await deps.fhir
    .searchResources('Organization', { identifier: `${FHIR_SYSTEMS.ncpdp}|${ncpdp}`, _count: '1' })
    .catch(() => []);
  const ok = answer(m.header.from, m.header.messageId, 'Status', { code: '010' }, 200);

  const client = await deps.pg.connect();
  try {
    await client.query('BEGIN');
    const row = await erxRepository.insert(client, {
      messageId: m.header.messageId,
      direction: 'inbound',
      type: m.type,
      status: 'received',
      payload: xml,
      medicationRequestId: mrId,
      patientId,
      relatesToMessageId: original.messageId,
    });
    if (!row) {
      // a concurrent redelivery won the insert
      await client.query('ROLLBACK');
      const seen = await erxRepository.get(deps.pg, m.header.messageId);
      return {
        httpStatus: 200,
        xml: seen?.responsePayload ?? ok.xml,
        outcome: 'duplicate',
        messageId: m.header.messageId,
        messageType: m.type,
        taskId: seen?.taskId ?? undefined,
      };
    }
    // ifNoneExist on the MessageID: a retry after a failure between the Task and the commit reuses the Task.
    const task = await deps.fhir.create(
      inboxTask({
        messageId: m.header.messageId,
        kind: m.type,
        medicationRequestId: mrId,
        patientId,
        practitionerId,
        pharmacyOrgId: orgs[0]?.id,
        pharmacyName: m.content.pharmacy.businessName || ncpdp,
        changeCode: m.type === 'RxChangeRequest' ? m.changeCode : undefined,
        requestedDescription: m.type === 'RxChangeRequest' ? m.requested[0]?.description : undefined,
      }),
      { ifNoneExist: `identifier=${MESSAGE_ID_SYSTEM}|${m.header.messageId}` },
    );
    await client.query(
      'UPDATE erx_messages SET task_id = $2, response_payload = $3, response_code = $4 WHERE message_id = $1',
      [m.header.messageId, task.id, ok.xml, '010'],
    );
    await deps.events.publish(
      {
        type: 'inbox.item.created',
        patientId,
        resourceType: 'Task',
        resourceId: task.id,
        data: {
          kind: m.type,
          messageId: m.header.messageId,
          ownerPractitionerId: practitionerId,
          medicationRequestId: mrId,
        },
      },
      client,
    );
    await client.query('COMMIT');
    deps.logger.info(
      { messageId: m.header.messageId, type: m.type, taskId: task.id },
      'pharmacy request added to the prescriber inbox',
    );
    return { ...ok, outcome: 'applied', messageId: m.header.messageId, messageType: m.type, taskId: task.id };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
