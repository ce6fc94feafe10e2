import express, { type Express } from 'express';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import type { MailConfig } from './config';
import { Mailbox } from './mailbox';

/**
 * The mail provider simulator: a real SMTP server (smtp-server; mail parsed with mailparser) and an HTTP inbox
 * (`GET /messages?to=`, `DELETE /messages`). Logs carry message ids only, never addresses or content.
 */
export interface MailSimulator {
  app: Express;
  smtp: SMTPServer;
  mailbox: Mailbox;
  /** The SMTP port once listening (0 asks the OS for one). */
  smtpPort(): number;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = a ? (Array.isArray(a) ? a : [a]) : [];
  return list.flatMap((x) => x.value.map((v) => v.address ?? '')).filter(Boolean);
}

export function createMailApp(config: MailConfig, logger: Logger): MailSimulator {
  const mailbox = new Mailbox(config.maxMessages);
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          const stored = mailbox.add({
            from: addresses(mail.from)[0] ?? (session.envelope.mailFrom || { address: '' }).address,
            to: envelopeTo.length ? envelopeTo : addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          logger.info({ id: stored.id }, 'mail received');
          callback();
        })
        .catch((err: Error) => {
          logger.warn({ err: { message: err.message } }, 'unparseable mail');
          callback(err);
        });
    },
  });

  // 0 until the SMTP listener is up: /health answers 503 until then, so "healthy" means both ports accept.
  const smtpPort = () => {
    const addr = smtp.server.address();
    return addr && typeof addr === 'object' ? addr.port : 0;
  };
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    const port = smtpPort();
    res.status(port ? 200 : 503).json({ status: port ? 'ok' : 'starting', service: 'mail-simulator', smtpPort: port });
  });
  app.get('/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    res.json({ messages: mailbox.list(to) });
  });
  app.delete('/messages', (_req, res) => {
    mailbox.clear();
    res.status(204).end();
  });
  return {
    app,
    smtp,
    mailbox,
    smtpPort,
  };
}
