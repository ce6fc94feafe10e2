import type { ChildProcess } from 'node:child_process';
import pino from 'pino';
import { startSimulatorChild, stopSimulatorChild } from '../../test-support/simulator-child';
import { loadConfig } from '../config';
import { channelNotifier, NotifyError } from './notifier';
import { smtpEmailNotifier } from './smtp-email';
import { twilioSmsNotifier } from './twilio-sms';

const silent = pino({ level: 'silent' });
let mail: ChildProcess | undefined;
let sms: ChildProcess | undefined;
let mailUrl = '';
let smtpPort = 0;
let smsUrl = '';

beforeAll(async () => {
  const m = await startSimulatorChild('mail', 'services/simulators/src/mail/main.ts', {
    MAIL_HTTP_PORT: '0',
    MAIL_SMTP_PORT: '0',
  });
  mail = m.child;
  mailUrl = `http://127.0.0.1:${m.port}`;
  for (let i = 0; i < 50 && !smtpPort; i++) {
    const res = await fetch(`${mailUrl}/health`);
    if (res.ok) smtpPort = ((await res.json()) as { smtpPort: number }).smtpPort;
    else await new Promise((r) => setTimeout(r, 100));
  }
  const s = await startSimulatorChild('sms', 'services/simulators/src/sms/main.ts', { SMS_PORT: '0' });
  sms = s.child;
  smsUrl = `http://127.0.0.1:${s.port}`;
}, 60_000);
afterAll(async () => {
  await Promise.all([stopSimulatorChild(mail), stopSimulatorChild(sms)]);
});

const configFor = (env: Record<string, string> = {}) =>
  loadConfig({ SMTP_PORT: String(smtpPort), SMS_BASE_URL: smsUrl, ...env }).notify;

describe('notification adapters against the mail and SMS simulators', () => {
  it('sends email over SMTP and texts over the Twilio Messages API, each to its channel', async () => {
    const cfg = configFor();
    const email = smtpEmailNotifier(cfg.smtp, silent);
    const notify = channelNotifier({ email, sms: twilioSmsNotifier(cfg.sms, silent) });
    const to = `adapter.${Date.now()}@example.org`;
    await notify.send({ channel: 'email', to, subject: 'Hello', text: 'Body 123456' });
    await notify.send({ channel: 'sms', to: '+15550109988', subject: 'ignored for SMS', text: 'Text 654321' });
    email.close();
    const mails = (await (await fetch(`${mailUrl}/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: Array<{ subject: string; text: string; from: string }>;
    };
    expect(mails.messages[0]).toMatchObject({ subject: 'Hello', from: 'no-reply@wintehr.local' });
    expect(mails.messages[0]!.text).toContain('Body 123456');
    const texts = (await (await fetch(`${smsUrl}/messages?to=%2B15550109988`)).json()) as {
      messages: Array<{ body: string; from: string }>;
    };
    expect(texts.messages[0]).toMatchObject({ body: 'Text 654321', from: '+15005550006' });
  });

  it('turns a provider refusal into a NotifyError that carries no message content', async () => {
    const sender = twilioSmsNotifier(configFor().sms, silent);
    const bad = await sender
      .send({ channel: 'sms', to: '555-0100', subject: '', text: 'secret 111111' })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(NotifyError);
    expect(bad).toMatchObject({ status: 400, channel: 'sms' });
    expect(String(bad.message)).not.toContain('111111');
    const wrongToken = twilioSmsNotifier(configFor({ SMS_AUTH_TOKEN: 'not-the-right-token' }).sms, silent);
    await expect(wrongToken.send({ channel: 'sms', to: '+15550100000', subject: '', text: 'x' })).rejects.toMatchObject(
      { status: 401 },
    );
    const noServer = smtpEmailNotifier({ ...configFor().smtp, port: 1, timeoutMs: 1000 }, silent);
    await expect(
      noServer.send({ channel: 'email', to: 'a@example.org', subject: 's', text: 'secret 222222' }),
    ).rejects.toBeInstanceOf(NotifyError);
    noServer.close();
  });
});
