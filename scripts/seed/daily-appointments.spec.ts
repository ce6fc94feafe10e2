/**
 * The demo clinic day (daily-appointments.ts). Run: node --import tsx --test scripts/seed/*.spec.ts
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { SYS } from './catalog';
import { dailyAppointments, generateDailyAppointments, wilsonPatients } from './daily-appointments';
import { DEMO_IDS, directoryRefsFromBundle, generateDirectory } from './generate';

const refs = directoryRefsFromBundle(generateDirectory(42));
const wilson = refs[DEMO_IDS.practitioner('wilson')];

describe('daily appointments', () => {
  it("books Dr. Wilson's own patients today and tomorrow, each a conditional create on its date and slot", () => {
    const b = generateDailyAppointments(42, refs, { anchor: '2026-12-04', patientCount: 100 });
    const entries = b.entry ?? [];
    assert.equal(entries.length, 8);
    const appts = entries.map((e) => e.resource as fhir4.Appointment);
    assert.deepEqual([...new Set(appts.map((a) => a.start!.slice(0, 10)))], ['2026-12-04', '2026-12-05']);
    for (const [i, e] of entries.entries()) {
      const a = appts[i]!;
      assert.equal(a.status, 'booked');
      assert.ok(a.participant.some((p) => p.actor?.reference === wilson));
      assert.match(a.participant[0]!.actor!.reference!, /^Patient\?identifier=urn:wintehr:demo\|/);
      const key = a.identifier![0]!.value!;
      assert.match(key, /^daily-2026-12-0[45]-[0-3]$/);
      assert.equal(e.request!.ifNoneExist, `identifier=${SYS.DEMO}|${key}`);
      assert.match(e.fullUrl!, /^urn:uuid:[0-9a-f-]{36}$/);
    }
  });

  it("tomorrow's appointments are the same resources whether loaded today or tomorrow (no duplicates)", () => {
    const patients = wilsonPatients(42, 100, refs);
    const today = generateDailyAppointments(42, refs, { anchor: '2026-12-04', patientCount: 100 });
    const tomorrowsRun = dailyAppointments('2026-12-05', patients, refs);
    assert.deepEqual(today.entry!.slice(4), tomorrowsRun);
  });

  it('only patients whose primary care physician is Dr. Wilson, the two fixed demo patients first', () => {
    const patients = wilsonPatients(42, 100, refs);
    assert.deepEqual(patients.slice(0, 2), ['fixed-0-patient', 'fixed-1-patient']);
    assert.ok(patients.length > 2 && patients.length <= 6);
    assert.deepEqual(wilsonPatients(42, 1, refs), ['fixed-0-patient']);
    assert.deepEqual(dailyAppointments('2026-12-04', [], refs), []);
  });
});

describe('payer ids for payers loaded before they had one', () => {
  it('adds the clearinghouse id to a demo payer without one, leaves the others alone', async () => {
    const { payerIdUpdates, payerSearch } = await import('./payer-ids');
    const old: fhir4.Organization = {
      resourceType: 'Organization',
      id: '17',
      name: 'Medicare',
      identifier: [{ system: SYS.DEMO, value: 'payer-medicare' }],
    };
    const current: fhir4.Organization = {
      resourceType: 'Organization',
      id: '18',
      identifier: [
        { system: SYS.X12_PAYER_ID, value: '00621' },
        { system: SYS.DEMO, value: 'payer-prairie-bluecross' },
      ],
    };
    const other: fhir4.Organization = { resourceType: 'Organization', id: '19', name: 'Not a payer' };
    const b = payerIdUpdates([old, current, other]);
    assert.equal(b.entry?.length, 1);
    assert.deepEqual(b.entry![0]!.request, { method: 'PUT', url: 'Organization/17' });
    assert.deepEqual((b.entry![0]!.resource as fhir4.Organization).identifier![0], {
      system: SYS.X12_PAYER_ID,
      value: '06102',
    });
    assert.match(payerSearch(), /^Organization\?identifier=urn%3Awintehr%3Ademo%7Cpayer-medicare,/);
  });
});
