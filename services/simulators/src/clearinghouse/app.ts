import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  build271,
  build999,
  buildTa1,
  read270,
  ta1EchoOf,
  X12SyntaxError,
  type Eligibility271Input,
  type Parsed270,
} from '@wintehr/x12';
import type { ClearinghouseConfig } from './config';
import { CORE_RULE_VERSION, CoreRequest, decodeRequest, encodeResponse, PAYLOAD_TYPES } from './envelope';
import { decide, type Member } from './members';

/**
 * The eligibility clearinghouse simulator: CAQH CORE Phase II real-time envelope in, a 271 (or a TA1/999 for
 * X12 syntax errors) out, answering from a deterministic member table with fault injection by member id.
 * Logs carry payload ids and codes only: never names, member ids or dates of birth.
 */
export interface Clearinghouse {
  app: Express;
  stats: { requests: number; answered: number };
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createClearinghouseApp(
  config: ClearinghouseConfig,
  logger: Logger,
  clock: () => Date = () => new Date(),
): Clearinghouse {
  const app = express();
  app.disable('x-powered-by');
  const stats = { requests: 0, answered: 0 };
  let control = 0;
  const nextControl = () => (control = (control % 999_999_999) + 1);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'clearinghouse-simulator' });
  });
  app.use(express.raw({ type: ['application/x-www-form-urlencoded', 'multipart/form-data'], limit: '512kb' }));

  app.post('/core/realtime', async (req, res) => {
    stats.requests++;
    const contentType = req.get('content-type') ?? '';
    const multipart = contentType.startsWith('multipart/form-data');
    const send = async (status: number, fields: Record<string, string>) => {
      const { contentType: ct, body } = await encodeResponse(fields, multipart);
      res.status(status).type(ct).send(body);
    };
    const envelopeError = (status: number, errorCode: string, errorMessage: string, request?: Partial<CoreRequest>) =>
      send(status, {
        PayloadType: 'CoreEnvelopeError',
        ProcessingMode: 'RealTime',
        PayloadID: request?.PayloadID ?? randomUUID(),
        TimeStamp: clock().toISOString(),
        SenderID: config.clearinghouseId,
        ReceiverID: request?.SenderID ?? '',
        CORERuleVersion: CORE_RULE_VERSION,
        ErrorCode: errorCode,
        ErrorMessage: errorMessage,
      });

    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      await envelopeError(
        400,
        'PayloadRequired',
        'Send the CORE envelope as application/x-www-form-urlencoded or multipart/form-data',
      );
      return;
    }
    let fields: Record<string, string>;
    try {
      fields = await decodeRequest(contentType, req.body);
    } catch {
      await envelopeError(400, 'EnvelopeUnreadable', 'The multipart body could not be read');
      return;
    }
    const parsed = CoreRequest.safeParse(fields);
    if (!parsed.success) {
      const code = parsed.error.issues[0]!.message;
      logger.info({ errorCode: code }, 'envelope rejected');
      await envelopeError(
        400,
        code,
        `The CORE envelope is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        fields,
      );
      return;
    }
    const env = parsed.data;
    if (
      !env.UserName ||
      !env.Password ||
      !equal(env.UserName, config.credentials.user) ||
      !equal(env.Password, config.credentials.password)
    ) {
      logger.warn({ payloadId: env.PayloadID }, 'authentication failed');
      await envelopeError(401, 'UnAuthorized', 'UserName/Password not valid', env);
      return;
    }

    const now = clock();
    const ack = {
      senderId: config.clearinghouseId,
      receiverId: env.SenderID.slice(0, 15),
      controlNumber: nextControl(),
      at: now,
    };
    const answer = (payloadType: string, payload: string) =>
      send(200, {
        PayloadType: payloadType,
        ProcessingMode: 'RealTime',
        PayloadID: randomUUID(),
        TimeStamp: now.toISOString(),
        SenderID: config.clearinghouseId,
        ReceiverID: env.SenderID,
        CORERuleVersion: CORE_RULE_VERSION,
        Payload: payload,
        ErrorCode: 'Success',
        ErrorMessage: 'None',
      });

    let read: ReturnType<typeof read270>;
    try {
      read = read270(env.Payload);
    } catch (e) {
      if (!(e instanceof X12SyntaxError)) throw e;
      // An unreadable interchange or envelope: TA1. Anything else that throws is our own bug (500 below).
      logger.info({ payloadId: env.PayloadID, outcome: 'TA1', note: e.ta1NoteCode ?? '022' }, 'interchange rejected');
      await answer(PAYLOAD_TYPES.ta1, buildTa1(ack, ta1EchoOf(env.Payload), e.ta1NoteCode ?? '022'));
      return;
    }
    const { inquiry, issues, interchange } = read;
    if (!inquiry || issues.length || interchange.problems.length) {
      logger.info(
        { payloadId: env.PayloadID, outcome: '999', issues: issues.length + interchange.problems.length },
        'transaction rejected',
      );
      await answer(
        PAYLOAD_TYPES.ack999,
        build999(ack, interchange, inquiry ? { [inquiry.transactionControlNumber]: issues } : {}),
      );
      return;
    }

    const verdict = decide(inquiry, now);
    if (verdict.kind === 'fault') {
      logger.info({ payloadId: env.PayloadID, fault: verdict.mode }, 'fault injected');
      if (verdict.mode === 'timeout') {
        setTimeout(() => req.socket.destroy(), config.timeoutFaultMs).unref();
        return;
      }
      if (verdict.mode === 'http500') {
        res.status(500).type('text/plain').send('simulated clearinghouse failure');
        return;
      }
      const whole = build271(response271(inquiry, ack, { payer: inquiry.payer }));
      // A 271 cut off mid-interchange: no SE/GE/IEA, as a broken payer connection would leave it.
      await answer(PAYLOAD_TYPES.response271, whole.slice(0, Math.floor(whole.length * 0.6)));
      return;
    }
    const base = { payer: inquiry.payer };
    let input: Eligibility271Input;
    if (verdict.kind === 'payerDown')
      input = response271(inquiry, ack, { ...base, payerRejection: { reasonCode: '42', followUpCode: 'R' } });
    else if (verdict.kind === 'reject') input = response271(inquiry, ack, { ...base, subscriberRejection: verdict });
    else if (verdict.kind === 'rejectDependent')
      input = response271(inquiry, ack, { ...base, dependentRejection: verdict });
    else input = response271(inquiry, ack, { ...base, member: verdict.member, dependent: verdict.dependent });
    stats.answered++;
    logger.info(
      {
        payloadId: env.PayloadID,
        outcome: verdict.kind,
        ...(verdict.kind.startsWith('reject') ? { aaa: (verdict as { reasonCode: string }).reasonCode } : {}),
      },
      '271 answered',
    );
    await answer(PAYLOAD_TYPES.response271, build271(input));
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err: { message: err.message } }, 'clearinghouse error');
    res
      .status(status)
      .type('text/plain')
      .send(status === 500 ? 'clearinghouse error' : 'request refused');
  });
  return { app, stats };
}

type Rejection = { reasonCode: string; followUpCode: string };
interface Outcome {
  payer: { name: string; id: string };
  payerRejection?: Rejection;
  subscriberRejection?: Rejection;
  dependentRejection?: Rejection;
  member?: Member;
  dependent?: NonNullable<Member['dependents']>[number];
}

/** The 271 for an inquiry: the inquiry's names echoed back, our answer attached to the patient's loop. */
function response271(
  q: Parsed270,
  ack: { senderId: string; receiverId: string; controlNumber: number; at: Date },
  o: Outcome,
): Eligibility271Input {
  const trace = q.trace ? { number: q.trace.number, assigner: q.trace.assigner } : undefined;
  const m = o.member;
  const subscriber = {
    lastName: q.subscriber.lastName,
    firstName: q.subscriber.firstName,
    memberId: q.subscriber.memberId,
    birthDate: q.dependent ? undefined : q.subscriber.birthDate,
    gender: q.dependent ? undefined : q.subscriber.gender,
    trace: q.dependent ? undefined : trace,
    rejection: o.subscriberRejection,
    planBegin: m?.planBegin,
    planEnd: m?.planEnd,
    benefits: !q.dependent && m ? m.benefits : undefined,
  };
  const dependent =
    q.dependent && !o.subscriberRejection
      ? {
          lastName: q.dependent.lastName,
          firstName: q.dependent.firstName,
          birthDate: o.dependent?.birthDate ?? q.dependent.birthDate,
          gender: o.dependent?.gender ?? q.dependent.gender,
          trace,
          rejection: o.dependentRejection,
          benefits:
            m && o.dependent ? m.benefits.map((b) => (b.code === '1' ? { ...b, coverageLevel: 'DEP' } : b)) : undefined,
        }
      : undefined;
  return {
    interchange: { senderId: ack.senderId, receiverId: ack.receiverId, controlNumber: ack.controlNumber },
    at: ack.at,
    referenceId: q.referenceId,
    payer: o.payer,
    payerRejection: o.payerRejection,
    provider: { name: q.provider.name || 'PROVIDER', npi: q.provider.npi },
    subscriber,
    dependent,
  };
}
