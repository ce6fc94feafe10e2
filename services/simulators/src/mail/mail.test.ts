import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { createMailApp, type MailSimulator } from './app';
import { loadMailConfig } from './config';

let sim: MailSimulator;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sim = createMailApp(loadMailConfig({ MAIL_MAX_MESSAGES: '3', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
  await new Promise<void>((r) => sim.smtp.listen(0, '127.0.0.1', r));
  server = sim.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise<void>((r) => sim.smtp.close(r));
});
beforeEach(() => sim.mailbox.clear());

const send = (to: string, subject: string, text: string) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port: sim.smtpPort(), secure: false, ignoreTLS: true })
    .sendMail({ from: 'EHR <no-reply@wintehr.local>', to, subject, text });

const inbox = async (to?: string) => {
  const res = await fetch(`${base}/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
  return ((await res.json()) as { messages: Array<{ to: string[]; subject: string; text: string; from: string }> })
    .messages;
};

describe('mail simulator', () => {
  it('reports both ports healthy', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { smtpPort: number }).smtpPort).toBe(sim.smtpPort());
  });

  it('receives mail over SMTP and lists it by recipient, newest first, case-insensitively', async () => {
    await send('Maria@Example.org', 'First', 'Your code is 123456');
    await send('john@example.org', 'Other', 'hello');
    await send('maria@example.org', 'Second', 'Line one\nLine two');
    const maria = await inbox('MARIA@example.org');
    expect(maria.map((m) => m.subject)).toEqual(['Second', 'First']);
    expect(maria[1]).toMatchObject({ to: ['maria@example.org'], from: 'no-reply@wintehr.local' });
    expect(maria[1]!.text).toContain('Your code is 123456');
    expect((await inbox()).length).toBe(3);
  });

  it('keeps at most MAIL_MAX_MESSAGES and empties on DELETE', async () => {
    for (const n of [1, 2, 3, 4]) await send('a@example.org', `m${n}`, 'x');
    expect((await inbox()).map((m) => m.subject)).toEqual(['m4', 'm3', 'm2']);
    expect((await fetch(`${base}/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await inbox()).toEqual([]);
  });
});
