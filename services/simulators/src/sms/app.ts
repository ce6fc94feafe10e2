import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Response } from 'express';
import type { Logger } from 'pino';
import type { SmsConfig } from './config';

/**
 * The SMS provider simulator: Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form-encoded
 * To/From/Body, HTTP Basic AccountSid:AuthToken), answering a Twilio-shaped message resource or Twilio's error
 * shape; `GET /messages?to=` and `DELETE /messages` for tests. Logs carry message sids only.
 */
export interface StoredSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  dateCreated: string;
}

export interface SmsSimulator {
  app: Express;
  messages: StoredSms[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Twilio's REST error body. */
function twilioError(res: Response, status: number, code: number, message: string) {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export function createSmsApp(config: SmsConfig, logger: Logger, clock: () => Date = () => new Date()): SmsSimulator {
  const messages: StoredSms[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'sms-simulator' });
  });

  app.post(
    '/2010-04-01/Accounts/:sid/Messages.json',
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req, res) => {
      const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
      const [user = '', ...rest] = Buffer.from(encoded ?? '', 'base64')
        .toString()
        .split(':');
      if (
        scheme !== 'Basic' ||
        !equal(user, config.accountSid) ||
        !equal(rest.join(':'), config.authToken) ||
        req.params.sid !== config.accountSid
      ) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Twilio API"');
        return twilioError(res, 401, 20003, 'Authenticate');
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const to = typeof body.To === 'string' ? body.To : '';
      const from = typeof body.From === 'string' ? body.From : '';
      const text = typeof body.Body === 'string' ? body.Body : '';
      if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!E164.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!E164.test(from))
        return twilioError(res, 400, 21212, `The 'From' number ${from} is not a valid phone number.`);
      if (!text) return twilioError(res, 400, 21602, 'Message body is required.');
      if (text.length > 1600)
        return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const now = clock();
      const stored = { sid, to, from, body: text, dateCreated: now.toISOString() };
      messages.push(stored);
      if (messages.length > config.maxMessages) messages.splice(0, messages.length - config.maxMessages);
      logger.info({ sid }, 'sms accepted');
      const date = now.toUTCString();
      res.status(201).json({
        sid,
        account_sid: config.accountSid,
        to,
        from,
        body: text,
        status: 'queued',
        direction: 'outbound-api',
        num_segments: String(Math.ceil(text.length / 160)),
        date_created: date,
        date_updated: date,
        date_sent: null,
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
        price: null,
        price_unit: 'USD',
        uri: `/2010-04-01/Accounts/${config.accountSid}/Messages/${sid}.json`,
      });
    },
  );

  app.get('/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    res.json({ messages: messages.filter((m) => !to || m.to === to).reverse() });
  });
  app.delete('/messages', (_req, res) => {
    messages.length = 0;
    res.status(204).end();
  });
  return { app, messages };
}
