import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { clinician, newPatient, type Harness } from '../medications/clinical.test-util';

jest.setTimeout(120_000);

const LOINC = 'http://loinc.org';
const category = (code: string) => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
];

describe('flowsheet against the real HAPI', () => {
  let h: Harness;
  let patientId: string;
  let doc: Awaited<ReturnType<typeof clinician>>;
  let stranger: Awaited<ReturnType<typeof clinician>>;

  beforeAll(async () => {
    h = await buildTestApp();
    patientId = await newPatient(h);
    doc = await clinician(h, 'physician', [patientId]);
    stranger = await clinician(h, 'physician');
    const subject = { reference: `Patient/${patientId}` };
    for (const [day, k] of [
      ['2026-10-01', 4.4],
      ['2026-10-15', 5.3],
      ['2026-11-01', 5.9],
    ] as const)
      await h.deps.fhir.create<fhir4.Observation>({
        resourceType: 'Observation',
        status: 'final',
        category: category('laboratory'),
        code: { coding: [{ system: LOINC, code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' }] },
        subject,
        effectiveDateTime: `${day}T08:00:00Z`,
        valueQuantity: { value: k, unit: 'mmol/L' },
        referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }],
      });
    await h.deps.fhir.create<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      category: category('vital-signs'),
      code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] },
      subject,
      effectiveDateTime: '2026-11-01T09:00:00Z',
      valueQuantity: { value: 88, unit: '/min' },
    });
  });
  afterAll(() => h.close());

  it('shows labs and vitals by day with names, flags and the values for graphs', async () => {
    const res = await request(h.app).get(`/api/patients/${patientId}/flowsheet`).set(doc.auth).expect(200);
    expect(res.body.columns).toEqual(['2026-11-01', '2026-10-15', '2026-10-01']);
    expect(res.body.rows.map((r: { display: string }) => r.display)).toEqual([
      'Heart rate',
      'Potassium [Moles/volume] in Serum or Plasma',
    ]);
    const k = res.body.rows[1];
    expect(k.cells.map((c: { value: number; flag: string }) => [c.value, c.flag])).toEqual([
      [5.9, 'H'],
      [5.3, 'H'],
      [4.4, 'N'],
    ]);
    expect(k.points).toHaveLength(3);

    const labsOnly = await request(h.app)
      .get(`/api/patients/${patientId}/flowsheet?category=laboratory&columns=1`)
      .set(doc.auth)
      .expect(200);
    expect(labsOnly.body.columns).toEqual(['2026-11-01']);
    expect(labsOnly.body.rows.map((r: { code: string }) => r.code)).toEqual(['2823-3']);
  });

  it('refuses a clinician without a relationship and a bad query', async () => {
    await request(h.app).get(`/api/patients/${patientId}/flowsheet`).set(stranger.auth).expect(403);
    const bad = await request(h.app).get(`/api/patients/${patientId}/flowsheet?columns=99`).set(doc.auth).expect(400);
    expect(JSON.stringify(bad.body)).toContain('columns');
  });
});
