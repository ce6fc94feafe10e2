import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createSmsApp } from './app';
import { loadSmsConfig } from './config';

const config = loadSmsConfig({ LOG_LEVEL: 'silent' });
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = createSmsApp(config, pino({ level: 'silent' })).app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const post = (form: Record<string, string>, o: { sid?: string; token?: string } = {}) =>
  fetch(`${base}/2010-04-01/Accounts/${o.sid ?? config.accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${o.sid ?? config.accountSid}:${o.token ?? config.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
  });

describe('SMS simulator (Twilio Messages API)', () => {
  it('accepts a message and answers a Twilio message resource with a sid', async () => {
    const res = await post({ To: '+15555550123', From: '+15005550006', Body: 'Your code is 654321' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      to: '+15555550123',
      from: '+15005550006',
      body: 'Your code is 654321',
      status: 'queued',
      account_sid: config.accountSid,
      api_version: '2010-04-01',
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const list = (await (await fetch(`${base}/messages?to=${encodeURIComponent('+15555550123')}`)).json()) as {
      messages: Array<{ sid: string; body: string }>;
    };
    expect(list.messages[0]).toMatchObject({ sid: body.sid, body: 'Your code is 654321' });
  });

  it('refuses wrong credentials with 401 and Twilio error 20003', async () => {
    const res = await post({ To: '+15555550123', From: '+15005550006', Body: 'x' }, { token: 'wrong-token-123' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003, status: 401 });
  });

  it('refuses a number not in E.164 with 400 and Twilio error 21211', async () => {
    const res = await post({ To: '555-0123', From: '+15005550006', Body: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 21211, status: 400 });
    const missing = await post({ To: '+15555550123', From: '+15005550006', Body: '' });
    expect(((await missing.json()) as { code: number }).code).toBe(21602);
  });
});
