import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { NotifyError, type Notifier } from './notifier';

export type SmtpConfig = AppConfig['notify']['smtp'];

/** Email over SMTP (nodemailer); one pooled transport per process. */
export function smtpEmailNotifier(cfg: SmtpConfig, logger: Logger): Notifier & { close(): void } {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    // The local simulator speaks plain SMTP; a real relay is reached with secure=true or STARTTLS.
    ignoreTLS: !cfg.secure && cfg.host === '127.0.0.1',
    auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
    connectionTimeout: cfg.timeoutMs,
    greetingTimeout: cfg.timeoutMs,
    socketTimeout: cfg.timeoutMs,
  });
  return {
    async send(m) {
      try {
        await transport.sendMail({ from: cfg.from, to: m.to, subject: m.subject, text: m.text });
      } catch (err) {
        // The error text may quote the recipient; log only its code.
        const code = (err as { code?: string; responseCode?: number }).code ?? 'SMTP_ERROR';
        logger.warn({ channel: 'email', code }, 'email delivery failed');
        throw new NotifyError(
          'email',
          `email delivery failed (${code})`,
          (err as { responseCode?: number }).responseCode,
        );
      }
    },
    close: () => transport.close(),
  };
}
