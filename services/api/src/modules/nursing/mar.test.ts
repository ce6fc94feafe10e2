import { DUE_TIME_EXT, buildMar } from './mar';

const DAY = '2026-03-10';
const order = (id: string, over: Partial<fhir4.MedicationRequest> = {}): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  medicationCodeableConcept: { text: `Drug ${id}` },
  dosageInstruction: [{ text: 'BID', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } }],
  ...over,
});
const given = (
  requestId: string,
  dueAt: string | undefined,
  status: fhir4.MedicationAdministration['status'],
  effective = `${DAY}T09:05:00Z`,
): fhir4.MedicationAdministration => ({
  resourceType: 'MedicationAdministration',
  id: `a-${requestId}-${dueAt ?? 'prn'}-${status}`,
  status,
  subject: { reference: 'Patient/p' },
  request: { reference: `MedicationRequest/${requestId}` },
  effectiveDateTime: effective,
  medicationCodeableConcept: { text: 'x' },
  ...(dueAt ? { extension: [{ url: DUE_TIME_EXT, valueDateTime: dueAt }] } : {}),
  ...(status === 'not-done' ? { statusReason: [{ text: 'refused' }] } : {}),
});

describe('the MAR of a day', () => {
  it("marks each due dose with what was documented for it, ignoring withdrawn records and other orders' doses", () => {
    const mar = buildMar(
      DAY,
      [order('1'), order('2')],
      [
        given('1', `${DAY}T09:00:00Z`, 'completed'),
        given('1', `${DAY}T21:00:00Z`, 'entered-in-error'),
        given('2', `${DAY}T21:00:00.000Z`, 'not-done'),
      ],
    );
    expect(mar.orders.map((o) => o.doses.map((d) => d.state))).toEqual([
      ['given', 'due'],
      ['due', 'not-given'],
    ]);
    expect(mar.orders[1]!.doses[1]!.reason).toBe('refused');
  });
  it('lists PRN orders without due doses and with the doses given that day', () => {
    const prn = order('3', { dosageInstruction: [{ asNeededBoolean: true, text: 'PRN pain' }] });
    const mar = buildMar(
      DAY,
      [prn],
      [given('3', undefined, 'completed'), given('3', undefined, 'completed', '2026-03-09T10:00:00Z')],
    );
    expect(mar.orders[0]).toMatchObject({ prn: true, doses: [], prnDoses: [{ state: 'given' }] });
  });
  it('leaves stopped and proposed orders off the record, keeps on-hold ones', () => {
    const mar = buildMar(
      DAY,
      [order('4', { status: 'stopped' }), order('5', { intent: 'proposal' }), order('6', { status: 'on-hold' })],
      [],
    );
    expect(mar.orders.map((o) => o.medicationRequestId)).toEqual(['6']);
  });
});
