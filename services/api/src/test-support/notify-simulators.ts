import type { ChildProcess } from 'node:child_process';
import { startSimulatorChild, stopSimulatorChild } from './simulator-child';

/** The mail (SMTP + inbox) and SMS simulators as child processes on free ports, for integration tests. */
export class NotifySimulators {
  private mail?: ChildProcess;
  private sms?: ChildProcess;
  mailUrl = '';
  smsUrl = '';
  smtpPort = 0;

  async start(): Promise<void> {
    const mail = await startSimulatorChild('mail simulator', 'services/simulators/src/mail/main.ts', {
      MAIL_HTTP_PORT: '0',
      MAIL_SMTP_PORT: '0',
    });
    this.mail = mail.child;
    this.mailUrl = `http://127.0.0.1:${mail.port}`;
    for (let i = 0; i < 50 && !this.smtpPort; i++) {
      const res = await fetch(`${this.mailUrl}/health`);
      if (res.ok) this.smtpPort = ((await res.json()) as { smtpPort: number }).smtpPort;
      else await new Promise((r) => setTimeout(r, 100));
    }
    const sms = await startSimulatorChild('sms simulator', 'services/simulators/src/sms/main.ts', { SMS_PORT: '0' });
    this.sms = sms.child;
    this.smsUrl = `http://127.0.0.1:${sms.port}`;
  }

  /** What the API under test needs to send through these simulators. */
  env(): Record<string, string> {
    return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(this.smtpPort), SMS_BASE_URL: this.smsUrl };
  }

  async mails(to: string): Promise<Array<{ subject: string; text: string; receivedAt: string }>> {
    const res = await fetch(`${this.mailUrl}/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: Array<{ subject: string; text: string; receivedAt: string }> }).messages;
  }

  async texts(to: string): Promise<Array<{ body: string; sid: string }>> {
    const res = await fetch(`${this.smsUrl}/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: Array<{ body: string; sid: string }> }).messages;
  }

  /** Waits for the n-th message to an address (mail is delivered asynchronously after some answers). */
  async waitForMail(to: string, count = 1, timeoutMs = 5000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const list = await this.mails(to);
      if (list.length >= count) return list[0]!;
      if (Date.now() > until) throw new Error(`no mail #${count} to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([stopSimulatorChild(this.mail), stopSimulatorChild(this.sms)]);
  }
}

export const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';
export const tokenIn = (text: string) => /[?&]token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
