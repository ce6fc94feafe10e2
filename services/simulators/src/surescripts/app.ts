import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimulatorConfig } from './config';
import { searchPharmacies } from './directory';
import { FaultInjector } from './faults';
import { medicationHistory } from './history';
import { Ledger } from './ledger';
import { checkMessage, type Rejection } from './validate';
import { buildMessage, errorBody, get, NotScriptError, parseXml, statusBody, text, type Tree } from './xml';

/**
 * The Surescripts network simulator as an express app: SCRIPT in, Status / Verify / Error (or RxHistoryResponse)
 * out, plus the pharmacy directory, pharmacy-originated requests towards the EHR, and fault injection.
 * Logs carry message ids, types and codes only: never names, drugs or free text (PHI).
 */
export interface Simulator {
  app: Express;
  ledger: Ledger;
  faults: FaultInjector;
}

const NETWORK_ID = 'SURESCRIPTS-SIM';
const XML = 'application/xml; charset=utf-8';

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSimulatorApp(config: SimulatorConfig, logger: Logger): Simulator {
  const app = express();
  app.disable('x-powered-by');
  const ledger = new Ledger();
  const faults = new FaultInjector();

  const errorXml = (relatesTo: string | undefined, r: Rejection) =>
    buildMessage(
      {
        to: { q: 'C', id: 'UNKNOWN' },
        from: { q: 'M', id: NETWORK_ID },
        messageId: randomUUID().replace(/-/g, ''),
        relatesTo,
      },
      'Error',
      errorBody(r.code, r.descriptionCode, r.description),
    );

  // HTTP basic auth of the EHR's network account on everything but /health.
  const auth = (req: Request, res: Response, next: NextFunction) => {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.get('authorization') ?? '');
    const [user, ...rest] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    if (
      user !== undefined &&
      equal(user, config.credentials.user) &&
      equal(rest.join(':'), config.credentials.password)
    )
      return next();
    logger.warn({ path: req.path }, 'authentication failed');
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="surescripts-sim"')
      .type(XML)
      .send(errorXml(undefined, { code: '900', descriptionCode: '4000', description: 'Authentication failed' }));
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'surescripts-simulator' });
  });
  app.use(express.text({ type: ['application/xml', 'text/xml', 'application/*+xml'], limit: '512kb' }));
  app.use(express.json({ limit: '64kb' }));

  app.post('/script', auth, async (req, res) => {
    const fault = faults.take();
    if (fault?.mode === 'timeout') {
      logger.info({ fault: 'timeout' }, 'fault injected');
      setTimeout(() => req.socket.destroy(), fault.delayMs).unref();
      return;
    }
    if (fault?.mode === 'http500') {
      logger.info({ fault: 'http500' }, 'fault injected');
      res.status(500).type('text/plain').send('simulated network failure');
      return;
    }

    const raw = typeof req.body === 'string' ? req.body : '';
    let doc: Tree;
    try {
      doc = parseXml(raw);
    } catch (e) {
      const reason = e instanceof NotScriptError ? e.message : 'unreadable';
      logger.info({ outcome: 'error', reason }, 'message refused');
      res
        .status(400)
        .type(XML)
        .send(
          errorXml(undefined, {
            code: '900',
            descriptionCode: '1000',
            description: `Message is not well-formed XML: ${reason}`,
          }),
        );
      return;
    }
    const checked = checkMessage(doc);
    if (!('type' in checked)) {
      const relatesTo = text(get(doc, 'Message.Header.MessageID'));
      logger.info(
        { messageId: relatesTo, outcome: 'error', descriptionCode: checked.descriptionCode },
        'message rejected',
      );
      res.status(200).type(XML).send(errorXml(relatesTo, checked));
      return;
    }
    const { type, messageId, header, body } = checked;
    const existing = ledger.redelivered(messageId);
    let answer: string;
    if (existing) {
      answer = existing.answer;
      logger.info({ messageId, type, deliveries: existing.deliveries }, 'duplicate delivery: original answer repeated');
    } else {
      const from = text(get(header, 'From')) ?? 'UNKNOWN';
      const to = { q: 'C', id: from };
      const me = { q: 'P', id: text(get(header, 'To')) ?? NETWORK_ID };
      const ack = { to, from: me, messageId: randomUUID().replace(/-/g, ''), relatesTo: messageId };
      if (type === 'RxHistoryRequest') {
        const items = medicationHistory({
          last: text(get(body, 'Patient.HumanPatient.Name.LastName'))!,
          first: text(get(body, 'Patient.HumanPatient.Name.FirstName'))!,
          dob: text(get(body, 'Patient.HumanPatient.DateOfBirth.Date'))!,
        });
        answer = buildMessage({ ...ack, from: { q: 'M', id: NETWORK_ID } }, 'RxHistoryResponse', {
          Patient: body.Patient,
          MedicationDispensed: items.map((d) => ({
            DrugDescription: d.description,
            DrugCoded: {
              ProductCode: { Code: d.ndc, Qualifier: 'ND' },
              DrugDBCode: { Code: d.rxnorm, Qualifier: 'SCD' },
            },
            Quantity: { Value: d.quantity, CodeListQualifier: '38', QuantityUnitOfMeasure: { Code: d.unitCode } },
            DaysSupply: String(d.daysSupply),
            WrittenDate: { Date: d.lastFillDate },
            Substitutions: '0',
            NumberOfRefills: '0',
            Sig: { SigText: d.sig },
            LastFillDate: { Date: d.lastFillDate },
            Pharmacy: { BusinessName: d.pharmacyName },
          })),
        });
      } else if (type === 'RxRenewalResponse' || type === 'RxChangeResponse') {
        answer = buildMessage(ack, 'Verify', { VerifyStatus: statusBody('010', 'Response delivered to pharmacy') });
      } else {
        answer = buildMessage(ack, 'Status', statusBody('010', 'Accepted by receiving pharmacy'));
      }
      ledger.accept(messageId, { type, answer, body, header });
      logger.info({ messageId, type, pharmacy: me.id }, 'message accepted');
    }
    if (fault?.mode === 'duplicate') {
      logger.info({ messageId, fault: 'duplicate' }, 'fault injected: acknowledgement lost');
      res.status(502).type('text/plain').send('acknowledgement lost (simulated)');
      return;
    }
    if (fault?.mode === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (!res.writableEnded && !req.socket.destroyed) res.status(200).type(XML).send(answer);
  });

  const DirectoryQuery = z.object({
    name: z.string().trim().min(2).max(70).optional(),
    zip: z
      .string()
      .regex(/^\d{3,5}$/)
      .optional(),
    ncpdpId: z
      .string()
      .regex(/^\d{7}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  });
  app.get('/directory/pharmacies', auth, (req, res) => {
    const q = DirectoryQuery.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({
        error: 'invalid query',
        issues: q.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
      return;
    }
    const pharmacies = searchPharmacies(q.data);
    res.json({ total: pharmacies.length, pharmacies });
  });

  app.get('/admin/stats', auth, (req, res) => {
    const s = ledger.stats();
    const id = typeof req.query.messageId === 'string' ? req.query.messageId : undefined;
    res.json(
      id
        ? { messageId: id, ...(s.byMessageId[id] ?? { accepted: 0, deliveries: 0 }) }
        : { ...s, fault: faults.peek() ?? null },
    );
  });

  const FaultBody = z.object({
    mode: z.enum(['timeout', 'http500', 'duplicate', 'slow']),
    count: z.number().int().min(1).max(1000).default(1),
    delayMs: z.number().int().min(0).max(120_000).optional(),
  });
  app.post('/admin/faults', auth, (req, res) => {
    const b = FaultBody.safeParse(req.body);
    if (!b.success) {
      res.status(400).json({
        error: 'invalid fault',
        issues: b.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
      return;
    }
    res.json(faults.set(b.data.mode, b.data.count, b.data.delayMs));
  });
  app.delete('/admin/faults', auth, (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  app.post('/admin/reset', auth, (_req, res) => {
    faults.clear();
    ledger.reset();
    res.status(204).end();
  });

  const OriginateBody = z.object({
    type: z.enum(['RxRenewalRequest', 'RxChangeRequest']),
    relatesToMessageId: z.string().min(1).max(35),
    changeCode: z.enum(['G', 'T', 'P', 'U', 'S', 'OS', 'D']).default('G'),
    requestedDescription: z.string().min(1).max(105).optional(),
    /** Deliver the same message twice (a network duplicate). */
    duplicate: z.boolean().default(false),
    /** Test hooks: a broken XML body, or wrong credentials. */
    malformed: z.boolean().default(false),
    badAuth: z.boolean().default(false),
  });
  app.post('/admin/originate', auth, async (req, res) => {
    const b = OriginateBody.safeParse(req.body);
    if (!b.success) {
      res.status(400).json({
        error: 'invalid request',
        issues: b.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
      return;
    }
    const o = b.data;
    const original = ledger.get(o.relatesToMessageId);
    if (!original?.body || original.type !== 'NewRx') {
      res.status(404).json({ error: 'no accepted NewRx with that MessageID' });
      return;
    }
    const ncpdp = text(get(original.header, 'To'))!;
    const prescriber = text(get(original.header, 'From'))!;
    const messageId = randomUUID().replace(/-/g, '');
    const rx = original.body;
    const prescribed = rx.MedicationPrescribed as Tree;
    const content: Tree = {
      Patient: rx.Patient,
      Pharmacy: rx.Pharmacy,
      Prescriber: rx.Prescriber,
      MedicationPrescribed: prescribed,
    };
    const body =
      o.type === 'RxRenewalRequest'
        ? content
        : {
            MessageRequestCode: o.changeCode,
            ...content,
            MedicationRequested: {
              ...prescribed,
              DrugDescription:
                o.requestedDescription ??
                `Generic equivalent of ${text(prescribed.DrugDescription) ?? 'prescribed drug'}`.slice(0, 105),
            },
          };
    let xml = buildMessage(
      { to: { q: 'C', id: prescriber }, from: { q: 'P', id: ncpdp }, messageId, relatesTo: o.relatesToMessageId },
      o.type,
      body,
    );
    if (o.malformed) xml = xml.slice(0, xml.length - 20);
    const password = o.badAuth ? 'wrong-password' : config.ehr.password;
    const deliveries: Array<{ status: number; body: string }> = [];
    for (let i = 0; i < (o.duplicate ? 2 : 1); i++) {
      try {
        const r = await fetch(config.ehr.inboundUrl, {
          method: 'POST',
          body: xml,
          signal: AbortSignal.timeout(10_000),
          // X-Network-Authorization: the EHR's bearer-token middleware owns Authorization (see README, e-prescribing).
          headers: {
            'content-type': 'application/xml',
            'x-network-authorization': `Basic ${Buffer.from(`${config.ehr.user}:${password}`).toString('base64')}`,
          },
        });
        deliveries.push({ status: r.status, body: await r.text() });
      } catch (e) {
        deliveries.push({ status: 0, body: (e as Error).message });
      }
    }
    ledger.accept(messageId, { type: o.type, answer: '', header: undefined });
    logger.info(
      { messageId, type: o.type, relatesTo: o.relatesToMessageId, statuses: deliveries.map((d) => d.status) },
      'pharmacy request originated',
    );
    res.status(deliveries.some((d) => d.status >= 200 && d.status < 300) ? 200 : 502).json({ messageId, deliveries });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err: { message: err.message } }, 'simulator error');
    res
      .status(status)
      .type(XML)
      .send(
        errorXml(undefined, {
          code: status === 500 ? '602' : '900',
          descriptionCode: '1000',
          description: status === 500 ? 'Network system error' : 'Request refused',
        }),
      );
  });
  return { app, ledger, faults };
}
