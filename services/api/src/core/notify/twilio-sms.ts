import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { NotifyError, type Notifier } from './notifier';

/** baseUrl: the provider's API root, e.g. https://api.twilio.com or the local simulator. */
export type SmsConfig = AppConfig['notify']['sms'];

/**
 * Text messages over the Twilio Messages REST API wire format: a form-encoded POST to
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic auth (AccountSid:AuthToken).
 */
export function twilioSmsNotifier(cfg: SmsConfig, logger: Logger): Notifier {
  const url = `${cfg.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  return {
    async send(m) {
      const body = new URLSearchParams({ To: m.to, From: cfg.from, Body: m.text });
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(cfg.timeoutMs),
        });
      } catch (err) {
        logger.warn({ channel: 'sms', code: (err as Error).name }, 'sms provider unreachable');
        throw new NotifyError('sms', 'sms provider unreachable');
      }
      if (!res.ok) {
        // Twilio's error body: {code, message, more_info, status}; only the numeric code is logged.
        const err = (await res.json().catch(() => ({}))) as { code?: number };
        logger.warn({ channel: 'sms', status: res.status, code: err.code }, 'sms refused by provider');
        throw new NotifyError('sms', `sms refused by provider (${err.code ?? res.status})`, res.status);
      }
      await res.body?.cancel().catch(() => undefined);
    },
  };
}
