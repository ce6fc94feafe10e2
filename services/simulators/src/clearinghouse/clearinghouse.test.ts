import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { build270, patientOf, read271, read999, readTa1, type Eligibility270Input } from '@wintehr/x12';
import { createClearinghouseApp, type Clearinghouse } from './app';
import { loadClearinghouseConfig } from './config';

let ch: Clearinghouse;
let server: http.Server;
let base: string;

beforeAll(async () => {
  const config = loadClearinghouseConfig({ CLEARINGHOUSE_TIMEOUT_FAULT_MS: '1500', LOG_LEVEL: 'silent' });
  ch = createClearinghouseApp(config, pino({ level: 'silent' }), () => new Date(Date.UTC(2026, 11, 4, 9, 0)));
  server = ch.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const inquiry = (o: Partial<Eligibility270Input> & { memberId?: string; lastName?: string; birthDate?: string } = {}) =>
  build270({
    interchange: { senderId: 'WINTEHR', receiverId: 'CLEARHOUSE', controlNumber: 5 },
    at: new Date(Date.UTC(2026, 11, 4, 8, 59)),
    referenceId: 'REF-5',
    payer: { name: 'PRAIRIE BLUECROSS', id: '60054' },
    provider: { organizationName: 'WINTEHR MEDICAL CENTER', npi: '1234567893' },
    subscriber: {
      lastName: o.lastName ?? 'SMITH',
      firstName: 'ROBERT',
      memberId: o.memberId ?? 'ELIG-ACTIVE-1',
      birthDate: o.birthDate ?? '1943-05-19',
      gender: 'M',
    },
    traceNumber: 'TRACE-5',
    serviceDate: '2026-12-04',
    ...o,
  });

const envelope = (payload: string, over: Record<string, string> = {}) => ({
  PayloadType: 'X12_270_Request_005010X279A1',
  ProcessingMode: 'RealTime',
  PayloadID: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  TimeStamp: '2026-12-04T08:59:00Z',
  SenderID: 'WINTEHR',
  ReceiverID: 'CLEARHOUSE',
  CORERuleVersion: '2.2.0',
  UserName: 'wintehr-ehr',
  Password: 'dev-clearinghouse-secret',
  Payload: payload,
  ...over,
});

async function post(fields: Record<string, string>, multipart = false) {
  let body: URLSearchParams | FormData;
  if (multipart) {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
  } else body = new URLSearchParams(fields);
  const r = await fetch(`${base}/core/realtime`, { method: 'POST', body });
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  let answer: Record<string, string> = {};
  if (type.startsWith('multipart/')) {
    const form = await new Response(text, { headers: { 'content-type': type } }).formData();
    answer = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  } else if (type.startsWith('application/x-www-form-urlencoded'))
    answer = Object.fromEntries(new URLSearchParams(text));
  return { status: r.status, type, text, answer };
}

describe('clearinghouse simulator: CORE envelope', () => {
  test('/health answers', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', service: 'clearinghouse-simulator' });
  });

  test('an active member gets a 271 in a CORE response envelope (form-encoded in, form-encoded out)', async () => {
    const r = await post(envelope(inquiry()));
    expect(r.status).toBe(200);
    expect(r.answer).toMatchObject({
      PayloadType: 'X12_271_Response_005010X279A1',
      ProcessingMode: 'RealTime',
      SenderID: 'CLEARHOUSE',
      ReceiverID: 'WINTEHR',
      CORERuleVersion: '2.2.0',
      ErrorCode: 'Success',
    });
    expect(r.answer.PayloadID).toMatch(/^[0-9a-f-]{36}$/);
    const x = read271(r.answer.Payload!);
    expect(x.active).toBe(true);
    expect(x.planName).toBe('Prairie PPO Gold');
    expect(x.referenceId).toBe('REF-5');
    const sub = patientOf(x)!;
    expect(sub.traces).toEqual([{ type: '2', number: 'TRACE-5', assigner: '9WINTEHR01' }]);
    expect(sub.benefits.filter((b) => b.code === 'C').map((b) => [b.amount, b.inNetwork])).toEqual([
      [1500, true],
      [1100.5, true],
      [3000, false],
    ]);
    expect(sub.benefits.find((b) => b.code === 'B' && b.serviceTypes[0]!.code === '98')).toMatchObject({ amount: 25 });
    expect(sub.benefits.filter((b) => b.code === 'A').map((b) => b.percent)).toEqual([20, 40]);
  });

  test('HTTP MIME multipart in gets multipart out', async () => {
    const r = await post(envelope(inquiry()), true);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(read271(r.answer.Payload!).active).toBe(true);
  });

  test.each([
    [{ PayloadType: 'X12_276_Request_005010X212' }, 'PayloadTypeIncorrect'],
    [{ ProcessingMode: 'Batch' }, 'ProcessingModeIncorrect'],
    [{ CORERuleVersion: '1.1.0' }, 'VersionMismatch'],
    [{ PayloadID: '' }, 'PayloadIDRequired'],
  ])('envelope %j → 400 %s', async (over, code) => {
    const r = await post(envelope(inquiry(), over));
    expect(r.status).toBe(400);
    expect(r.answer.ErrorCode).toBe(code);
  });

  test('a missing field and wrong credentials are refused', async () => {
    const fields = envelope(inquiry());
    delete (fields as Partial<typeof fields>).SenderID;
    expect((await post(fields)).answer.ErrorCode).toBe('SenderIDRequired');
    const r = await post(envelope(inquiry(), { Password: 'not-the-password' }));
    expect(r.status).toBe(401);
    expect(r.answer.ErrorCode).toBe('UnAuthorized');
  });

  test('an empty or JSON body is refused with a clear 400', async () => {
    const r = await fetch(`${base}/core/realtime`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(new URLSearchParams(await r.text()).get('ErrorCode')).toBe('PayloadRequired');
  });
});

describe('clearinghouse simulator: scenarios', () => {
  const answer = async (payload: string) => {
    const r = await post(envelope(payload));
    expect(r.status).toBe(200);
    return r.answer;
  };

  test('inactive coverage', async () => {
    const x = read271(
      (await answer(inquiry({ memberId: 'ELIG-INACTIVE-1', lastName: 'JONES', birthDate: '1970-08-02' }))).Payload!,
    );
    expect(x.active).toBe(false);
    expect(x.subscriber!.benefits[0]).toMatchObject({ code: '6', messages: ['Coverage terminated 2025-06-30'] });
  });

  test.each([
    ['not found', { memberId: 'NOPE-123' }, '75', 'N'],
    ['name mismatch', { lastName: 'SMYTHE' }, '73', 'C'],
    ['birth date mismatch', { birthDate: '1950-01-01' }, '71', 'C'],
  ])('%s %j → AAA %s', async (_name, over, reason, followUp) => {
    const x = read271((await answer(inquiry(over))).Payload!);
    expect(x.active).toBeUndefined();
    expect(x.rejections).toEqual([
      expect.objectContaining({ loop: 'subscriber', reasonCode: reason, followUpCode: followUp }),
    ]);
  });

  test.each([
    ['06102', 'MEDICARE', 'Medicare Part B'],
    ['IL621', 'ILLINOIS MEDICAID', 'Medicaid Managed Care'],
    ['00621', 'PRAIRIE BLUECROSS', 'Prairie PPO Gold'],
    ['60054', 'LAKESHORE HEALTH', 'Lakeshore HMO Select'],
    ['87726', 'HEARTLAND MUTUAL', 'Heartland Choice'],
  ])('a demo member is routed by the payer id %s (%s) → %s', async (id, name, plan) => {
    // The member id's prefix names another payer: the payer id decides, as a clearinghouse routes a 270.
    const x = read271((await answer(inquiry({ memberId: 'HEA000000007', payer: { name, id } }))).Payload!);
    expect(x.active).toBe(true);
    expect(x.planName).toBe(plan);
  });

  test('data loaded before payers had ids is still routed by the member id prefix', async () => {
    const x = read271(
      (await answer(inquiry({ memberId: 'MED000000003', payer: { name: 'ILLINOIS MEDICAID', id: 'payer-medicaid' } })))
        .Payload!,
    );
    expect(x.planName).toBe('Medicaid Managed Care');
  });

  test('payer down → AAA 42 at the payer level', async () => {
    const x = read271((await answer(inquiry({ memberId: 'ELIG-PAYERDOWN' }))).Payload!);
    expect(x.rejections).toEqual([expect.objectContaining({ loop: 'source', reasonCode: '42' })]);
    expect(x.subscriber).toBeUndefined();
  });

  test('a dependent is answered in the 2000D loop, an unknown dependent with AAA 77', async () => {
    const family = { memberId: 'ELIG-FAMILY-1', lastName: 'GARCIA', birthDate: '1980-11-11' };
    const x = read271(
      (
        await answer(
          inquiry({
            ...family,
            dependent: { lastName: 'GARCIA', firstName: 'SOFIA', birthDate: '2015-02-03', gender: 'F' },
          }),
        )
      ).Payload!,
    );
    expect(x.active).toBe(true);
    expect(x.dependent).toMatchObject({
      firstName: 'SOFIA',
      birthDate: '2015-02-03',
      traces: [{ type: '2', number: 'TRACE-5' }],
    });
    expect(x.dependent!.benefits[0]).toMatchObject({ code: '1', coverageLevel: { code: 'DEP' } });
    expect(x.subscriber!.benefits).toEqual([]);
    const y = read271(
      (await answer(inquiry({ ...family, dependent: { lastName: 'GARCIA', firstName: 'PEDRO' } }))).Payload!,
    );
    expect(y.rejections).toEqual([expect.objectContaining({ loop: 'dependent', reasonCode: '77' })]);
  });

  test("a demo-data member id (seeded Coverage.subscriberId) is active with its payer's plan", async () => {
    const x = read271((await answer(inquiry({ memberId: 'LAK000000007', lastName: 'ANYONE' }))).Payload!);
    expect(x.active).toBe(true);
    expect(x.planName).toBe('Lakeshore HMO Select');
    // Medicare and Medicaid members share the MED prefix in the demo data: the payer name decides.
    const medicaid = inquiry({ memberId: 'MED000000002', payer: { name: 'Illinois Medicaid', id: 'payer-medicaid' } });
    expect(read271((await answer(medicaid)).Payload!).planName).toBe('Medicaid Managed Care');
    const medicare = inquiry({ memberId: 'MED000000002', payer: { name: 'MEDICARE', id: 'payer-medicare' } });
    expect(read271((await answer(medicare)).Payload!).planName).toBe('Medicare Part B');
  });

  test('X12 syntax errors: a broken envelope gets a TA1, a bad transaction a 999', async () => {
    const good = inquiry();
    const ta1 = await answer(good.replace('IEA*1*000000005', 'IEA*1*000000006'));
    expect(ta1.PayloadType).toBe('X12_TA1_Response_00501X231A1');
    expect(readTa1(ta1.Payload!)).toMatchObject({ controlNumber: '000000005', accepted: false, noteCode: '001' });
    const ack = await answer(good.replace(/SE\*\d+\*0001/, 'SE*2*0001'));
    expect(ack.PayloadType).toBe('X12_999_Response_005010X231A1');
    const read = read999(ack.Payload!);
    expect(read.accepted).toBe(false);
    expect(read.messages).toEqual(['270 0001: Number of included segments does not match actual count']);
    const garbage = await answer('this is not X12');
    expect(readTa1(garbage.Payload!).noteCode).toBe('022');
  });
});

describe('clearinghouse simulator: faults by member id', () => {
  test('FAULT-5XX → HTTP 500', async () => {
    expect((await post(envelope(inquiry({ memberId: 'FAULT-5XX' })))).status).toBe(500);
  });

  test('FAULT-MALFORMED → a 271 cut off mid-interchange', async () => {
    const r = await post(envelope(inquiry({ memberId: 'FAULT-MALFORMED' })));
    expect(r.answer.PayloadType).toBe('X12_271_Response_005010X279A1');
    expect(() => read271(r.answer.Payload!)).toThrow(/IEA|ISA/);
  });

  test('FAULT-TIMEOUT → silence, then the connection is dropped', async () => {
    const started = Date.now();
    await expect(
      fetch(`${base}/core/realtime`, {
        method: 'POST',
        body: new URLSearchParams(envelope(inquiry({ memberId: 'FAULT-TIMEOUT' }))),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });
});
