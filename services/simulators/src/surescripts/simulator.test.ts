import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import pino from 'pino';
import { createSimulatorApp, type Simulator } from './app';
import { loadSimulatorConfig } from './config';
import { PHARMACIES } from './directory';

const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });
const AUTH = `Basic ${Buffer.from('wintehr-ehr:dev-surescripts-secret').toString('base64')}`;

let sim: Simulator;
let server: http.Server;
let base: string;
// A stand-in EHR inbound endpoint that records what the pharmacy side sends.
let ehr: http.Server;
const received: Array<{ auth?: string; body: string }> = [];

beforeAll(async () => {
  ehr = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ auth: req.headers['x-network-authorization'] as string | undefined, body });
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<Message/>');
    });
  });
  await new Promise<void>((r) => ehr.listen(0, '127.0.0.1', r));
  const config = loadSimulatorConfig({
    EHR_INBOUND_URL: `http://127.0.0.1:${(ehr.address() as AddressInfo).port}/api/erx/inbound`,
  });
  sim = createSimulatorApp(config, pino({ level: 'silent' }));
  server = sim.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => ehr.close(r));
});
beforeEach(() => {
  sim.ledger.reset();
  sim.faults.clear();
  received.length = 0;
});

let seq = 0;
function newRx(
  o: { id?: string; ncpdp?: string; schedule?: string; dea?: string; signature?: boolean; drop?: string } = {},
) {
  const id = o.id ?? `MSG${Date.now()}${seq++}`;
  const ncpdp = o.ncpdp ?? '1499902';
  let xml =
    `<?xml version="1.0"?><Message xmlns="http://www.ncpdp.org/schema/SCRIPT"><Header><To Qualifier="P">${ncpdp}</To><From Qualifier="C">1234567893</From><MessageID>${id}</MessageID><SentTime>2026-11-23T10:00:00Z</SentTime>${o.signature ? '<DigitalSignature Version="JWS"><DigestValue>abc</DigestValue><SignatureValue>sig</SignatureValue></DigitalSignature>' : ''}</Header><Body><NewRx>` +
    `<Patient><HumanPatient><Name><LastName>Garcia</LastName><FirstName>Maria</FirstName></Name><Gender>F</Gender><DateOfBirth><Date>1958-03-14</Date></DateOfBirth></HumanPatient></Patient>` +
    `<Pharmacy><Identification><NCPDPID>${ncpdp}</NCPDPID></Identification><BusinessName>X</BusinessName></Pharmacy>` +
    `<Prescriber><NonVeterinarian><Identification>${o.dea ? `<DEANumber>${o.dea}</DEANumber>` : ''}<NPI>1234567893</NPI></Identification><Name><LastName>Wilson</LastName></Name></NonVeterinarian></Prescriber>` +
    `<MedicationPrescribed><DrugDescription>Lisinopril 10 MG Oral Tablet</DrugDescription><DrugCoded>${o.schedule ? `<DEASchedule><Code>${o.schedule}</Code></DEASchedule>` : ''}</DrugCoded><Quantity><Value>30</Value><CodeListQualifier>38</CodeListQualifier><QuantityUnitOfMeasure><Code>C48542</Code></QuantityUnitOfMeasure></Quantity><WrittenDate><Date>2026-11-23</Date></WrittenDate><Substitutions>0</Substitutions><NumberOfRefills>1</NumberOfRefills><Sig><SigText>Take 1 daily</SigText></Sig></MedicationPrescribed>` +
    `</NewRx></Body></Message>`;
  if (o.drop) xml = xml.replace(new RegExp(`<${o.drop}>[^<]*</${o.drop}>`), '');
  return { id, xml };
}
const post = (xml: string, auth = AUTH, signal?: AbortSignal) =>
  fetch(`${base}/script`, {
    method: 'POST',
    body: xml,
    headers: { 'content-type': 'application/xml', authorization: auth },
    signal,
  });
const admin = (path: string, body?: unknown, method = body ? 'POST' : 'GET') =>
  fetch(`${base}${path}`, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
const body = async (r: Response) => reader.parse(await r.text()).Message;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response | Promise<Response>): Promise<any> => (await r).json();

describe('SCRIPT message handling', () => {
  test('a valid NewRx is accepted with Status 010 relating to its MessageID', async () => {
    const { id, xml } = newRx();
    const r = await post(xml);
    expect(r.status).toBe(200);
    const m = await body(r);
    expect(m.Body.Status.Code).toBe('010');
    expect(m.Header.RelatesToMessageID).toBe(id);
    expect(m.Header.From['#text']).toBe('1499902');
    expect(await json(admin(`/admin/stats?messageId=${id}`))).toMatchObject({
      accepted: 1,
      deliveries: 1,
      type: 'NewRx',
    });
  });

  test('wrong or missing credentials → 401 with an Error message; nothing accepted', async () => {
    const { xml } = newRx();
    for (const auth of ['', `Basic ${Buffer.from('wintehr-ehr:nope').toString('base64')}`]) {
      const r = await post(xml, auth);
      expect(r.status).toBe(401);
      expect((await body(r)).Body.Error.Code).toBe('900');
    }
    expect((await json(admin('/admin/stats'))).accepted).toBe(0);
  });

  test.each([
    ['not XML', 'hello', 400, '1000'],
    ['truncated XML', newRx().xml.slice(0, 200), 400, '1000'],
    ['a DOCTYPE', '<!DOCTYPE x><Message/>', 400, '1000'],
  ])('%s → Error 900', async (_l, xml, status, dc) => {
    const r = await post(xml);
    expect(r.status).toBe(status);
    const m = await body(r);
    expect(m.Body.Error).toMatchObject({ Code: '900', DescriptionCode: dc });
  });

  test.each([
    ['missing NPI', { drop: 'NPI' }, /Identification\.NPI is required/],
    ['missing sig', { drop: 'SigText' }, /SigText is required/],
    ['unknown pharmacy', { ncpdp: '0000001' }, /not found in the directory/],
    ['controlled without DEA number', { schedule: 'C48675', signature: true }, /DEANumber is required/],
    ['controlled without digital signature', { schedule: 'C48675', dea: 'AB1234563' }, /DigitalSignature is required/],
    [
      'controlled to a pharmacy without EPCS',
      { schedule: 'C48677', dea: 'AB1234563', signature: true, ncpdp: '1499904' },
      /does not accept EPCS/,
    ],
  ])('%s → Error naming the problem, not counted', async (_l, o, re) => {
    const { id, xml } = newRx(o);
    const m = await body(await post(xml));
    expect(m.Body.Error.Code).toBe('900');
    expect(m.Body.Error.Description).toMatch(re);
    expect(m.Header.RelatesToMessageID).toBe(id);
    expect((await json(admin(`/admin/stats?messageId=${id}`))).accepted).toBe(0);
  });

  test('a controlled NewRx with DEA number and signature to an EPCS pharmacy is accepted', async () => {
    const m = await body(await post(newRx({ schedule: 'C48675', dea: 'AB1234563', signature: true }).xml));
    expect(m.Body.Status.Code).toBe('010');
  });

  test('a duplicate MessageID gets the original answer and is counted once', async () => {
    const { id, xml } = newRx();
    const first = await (await post(xml)).text();
    const second = await (await post(xml)).text();
    expect(second).toBe(first);
    expect(await json(admin(`/admin/stats?messageId=${id}`))).toMatchObject({ accepted: 1, deliveries: 2 });
  });

  test('RxHistoryRequest → RxHistoryResponse: curated for a seeded patient, stable for others', async () => {
    const req = (last: string, first: string, dob: string) =>
      `<Message><Header><To Qualifier="M">SURESCRIPTS</To><From Qualifier="C">1234567893</From><MessageID>H${seq++}${Date.now()}</MessageID><SentTime>2026-11-23T10:00:00Z</SentTime></Header><Body><RxHistoryRequest><Patient><HumanPatient><Name><LastName>${last}</LastName><FirstName>${first}</FirstName></Name><DateOfBirth><Date>${dob}</Date></DateOfBirth></HumanPatient></Patient></RxHistoryRequest></Body></Message>`;
    const m = await body(await post(req('Garcia', 'Maria', '1958-03-14')));
    const items = [m.Body.RxHistoryResponse.MedicationDispensed].flat();
    expect(items.map((i: { DrugDescription: string }) => i.DrugDescription)).toEqual([
      'Metformin Hydrochloride 500 MG Oral Tablet',
      'Lisinopril 10 MG Oral Tablet',
      'Atorvastatin 20 MG Oral Tablet',
    ]);
    const a = await (await post(req('Doe', 'Jan', '1990-01-01'))).text();
    const b = await (await post(req('Doe', 'Jan', '1990-01-01'))).text();
    expect(reader.parse(a).Message.Body).toEqual(reader.parse(b).Message.Body);
  });
});

describe('fault injection', () => {
  test('http500: the next message fails without being accepted, the one after succeeds', async () => {
    await admin('/admin/faults', { mode: 'http500', count: 1 });
    const { id, xml } = newRx();
    expect((await post(xml)).status).toBe(500);
    expect((await json(admin(`/admin/stats?messageId=${id}`))).accepted).toBe(0);
    expect((await post(xml)).status).toBe(200);
    expect(await json(admin(`/admin/stats?messageId=${id}`))).toMatchObject({ accepted: 1, deliveries: 1 });
  });

  test('timeout: no answer, nothing accepted', async () => {
    await admin('/admin/faults', { mode: 'timeout', count: 1, delayMs: 5000 });
    const { id, xml } = newRx();
    await expect(post(xml, AUTH, AbortSignal.timeout(500))).rejects.toThrow();
    expect((await json(admin(`/admin/stats?messageId=${id}`))).accepted).toBe(0);
  });

  test('slow: accepted, answered after the delay', async () => {
    await admin('/admin/faults', { mode: 'slow', count: 1, delayMs: 600 });
    const t0 = Date.now();
    const r = await post(newRx().xml);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    expect((await body(r)).Body.Status.Code).toBe('010');
  });

  test('duplicate: acknowledgement lost (502), the redelivery gets Status and is counted once', async () => {
    await admin('/admin/faults', { mode: 'duplicate', count: 1 });
    const { id, xml } = newRx();
    expect((await post(xml)).status).toBe(502);
    expect((await body(await post(xml))).Body.Status.Code).toBe('010');
    expect(await json(admin(`/admin/stats?messageId=${id}`))).toMatchObject({ accepted: 1, deliveries: 2 });
  });

  test('an invalid fault is refused with 400', async () => {
    expect((await admin('/admin/faults', { mode: 'explode' })).status).toBe(400);
  });
});

describe('directory', () => {
  test('holds 30 pharmacies including the in-house demo pharmacy', async () => {
    expect(PHARMACIES).toHaveLength(30);
    const r = await json(admin('/directory/pharmacies?ncpdpId=1499901'));
    expect(r.pharmacies).toHaveLength(1);
    expect(r.pharmacies[0]).toMatchObject({
      name: 'WintEHR Outpatient Pharmacy',
      demoKey: 'pharmacy-wintehr-outpatient',
    });
  });
  test('name and zip filters combine', async () => {
    const r = await json(admin('/directory/pharmacies?name=DRUG&zip=62629'));
    expect(r.pharmacies.map((p: { ncpdpId: string }) => p.ncpdpId).sort()).toEqual(['1499904', '1499911']);
    const r2 = await json(admin('/directory/pharmacies?zip=627'));
    expect(r2.total).toBeGreaterThan(10);
  });
  test('bad query → 400; no credentials → 401', async () => {
    expect((await admin('/directory/pharmacies?ncpdpId=12')).status).toBe(400);
    expect((await fetch(`${base}/directory/pharmacies?name=maple`)).status).toBe(401);
  });
});

describe('pharmacy-originated requests', () => {
  test('RxRenewalRequest for an accepted NewRx reaches the EHR with basic auth and the original prescription', async () => {
    const { id, xml } = newRx();
    await post(xml);
    const r = await admin('/admin/originate', { type: 'RxRenewalRequest', relatesToMessageId: id });
    expect(r.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.auth).toBe(`Basic ${Buffer.from('surescripts-network:dev-inbound-secret').toString('base64')}`);
    const m = reader.parse(received[0]!.body).Message;
    expect(m.Header.RelatesToMessageID).toBe(id);
    expect(m.Header.From).toEqual({ '#text': '1499902', '@Qualifier': 'P' });
    expect(m.Header.To).toEqual({ '#text': '1234567893', '@Qualifier': 'C' });
    expect(m.Body.RxRenewalRequest.MedicationPrescribed.DrugDescription).toBe('Lisinopril 10 MG Oral Tablet');
  });
  test('RxChangeRequest with duplicate delivery is sent twice with the same MessageID', async () => {
    const { id, xml } = newRx();
    await post(xml);
    const r = await json(
      admin('/admin/originate', { type: 'RxChangeRequest', relatesToMessageId: id, duplicate: true }),
    );
    expect(r.deliveries).toHaveLength(2);
    const ids = received.map((x) => reader.parse(x.body).Message.Header.MessageID);
    expect(ids).toEqual([r.messageId, r.messageId]);
    expect(reader.parse(received[0]!.body).Message.Body.RxChangeRequest.MessageRequestCode).toBe('G');
  });
  test('unknown original → 404', async () => {
    expect((await admin('/admin/originate', { type: 'RxRenewalRequest', relatesToMessageId: 'nope' })).status).toBe(
      404,
    );
  });
});
