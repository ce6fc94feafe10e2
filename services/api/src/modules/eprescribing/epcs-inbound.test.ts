import type { AppDeps } from '../../core/deps';
import { canonicalJson, contentDigest } from './epcs';
import { inboxTask, refId, taskCode, transmissionTask } from './erx-tasks';
import { networkAuthenticated } from './inbound';
import { prescriptionFromFhir } from './ncpdp';
import { fhirFixture } from './ncpdp/ncpdp.test-util';

describe('EPCS content digest', () => {
  test('canonical JSON ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
  test('the digest changes with any prescription detail and not with property order', () => {
    const c = prescriptionFromFhir(fhirFixture());
    const reordered = JSON.parse(
      JSON.stringify({ medication: c.medication, prescriber: c.prescriber, pharmacy: c.pharmacy, patient: c.patient }),
    );
    expect(contentDigest(reordered)).toBe(contentDigest(c));
    expect(
      contentDigest({ ...c, medication: { ...c.medication, quantity: { ...c.medication.quantity, value: '31' } } }),
    ).not.toBe(contentDigest(c));
  });
});

describe('network credentials on the inbound endpoint', () => {
  const deps = { config: { erx: { inboundUser: 'net', inboundPassword: 'pa:ss-word' } } } as unknown as AppDeps;
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  test.each([
    [basic('net:pa:ss-word'), true],
    [basic('net:pa:ss-wore'), false],
    [basic('other:pa:ss-word'), false],
    [basic('netpa'), false],
    ['Bearer abc', false],
    [undefined, false],
    ['', false],
  ])('%s → %s', (header, ok) => {
    expect(networkAuthenticated(deps, header)).toBe(ok);
  });
  test('the development default password is refused in production', () => {
    const prod = {
      config: { env: 'production', erx: { inboundUser: 'net', inboundPassword: 'dev-inbound-secret' } },
    } as unknown as AppDeps;
    expect(networkAuthenticated(prod, basic('net:dev-inbound-secret'))).toBe(false);
    const dev = {
      config: { env: 'development', erx: { inboundUser: 'net', inboundPassword: 'dev-inbound-secret' } },
    } as unknown as AppDeps;
    expect(networkAuthenticated(dev, basic('net:dev-inbound-secret'))).toBe(true);
  });
});

describe('e-prescribing Tasks', () => {
  test('transmission status maps onto Task.status', () => {
    const t = (status: string) =>
      transmissionTask({ messageId: 'm', messageType: 'NewRx', medicationRequestId: 'mr', patientId: 'p', status })
        .status;
    expect(['pending', 'sent', 'accepted', 'rejected', 'error'].map(t)).toEqual([
      'requested',
      'in-progress',
      'completed',
      'rejected',
      'failed',
    ]);
  });
  test('an inbox Task is owned by the prescriber and names the request', () => {
    const task = inboxTask({
      messageId: 'm1',
      kind: 'RxChangeRequest',
      medicationRequestId: 'mr',
      patientId: 'p',
      practitionerId: 'pr',
      pharmacyName: 'Maple',
      changeCode: 'G',
    });
    expect(task).toMatchObject({
      status: 'requested',
      owner: { reference: 'Practitioner/pr' },
      for: { reference: 'Patient/p' },
      identifier: [{ value: 'm1' }],
    });
    expect(taskCode(task)).toBe('erx-change-request');
    expect(refId('Practitioner/abc/_history/2', 'Practitioner')).toBe('abc');
    expect(refId('Organization/abc', 'Practitioner')).toBeUndefined();
  });
});
