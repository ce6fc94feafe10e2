import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { clinician, newPatient, type Harness } from '../medications/clinical.test-util';
import { sweepCriticalResults } from './critical-sweep';

jest.setTimeout(120_000);

const LOINC = 'http://loinc.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** A lab value written straight into HAPI, as a bulk load or a lab interface behind the FHIR gate does. */
const observation = (
  patientId: string,
  code: string,
  display: string,
  value: number,
  unit: string,
  flag?: string,
): fhir4.Observation => ({
  resourceType: 'Observation',
  status: 'final',
  category: [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
  ],
  code: { coding: [{ system: LOINC, code, display }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: new Date().toISOString(),
  issued: new Date().toISOString(),
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  ...(flag ? { interpretation: [{ coding: [{ system: V3, code: flag }] }] } : {}),
});

describe('critical results that did not come through the results API', () => {
  let h: Harness;
  let patientId: string;
  let doc: Awaited<ReturnType<typeof clinician>>;
  let careTeamNurse: Awaited<ReturnType<typeof clinician>>;
  let stranger: Awaited<ReturnType<typeof clinician>>;

  beforeAll(async () => {
    h = await buildTestApp();
    patientId = await newPatient(h, 'male');
    doc = await clinician(h, 'physician');
    careTeamNurse = await clinician(h, 'nurse');
    stranger = await clinician(h, 'physician');
    await h.deps.fhir.create<fhir4.CareTeam>({
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${patientId}` },
      participant: [
        { member: { reference: `Practitioner/${doc.practitionerId}` } },
        { member: { reference: `Practitioner/${careTeamNurse.practitionerId}` } },
      ],
    });
  });
  afterAll(() => h.close());

  const worklist = async (who: { auth: Record<string, string> }) =>
    (await request(h.app).get(`/api/results/unacknowledged-critical?patient=${patientId}`).set(who.auth).expect(200))
      .body as { items: Array<Record<string, unknown> & { reportId: string; tests: Array<Record<string, unknown>> }> };

  it('lists a flagged K+ 6.8 filed straight into HAPI in a report, with names not codes, for the care team only', async () => {
    const k = await h.deps.fhir.create(
      observation(patientId, '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 6.8, 'mmol/L', 'HH'),
    );
    const na = await h.deps.fhir.create(
      observation(patientId, '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 139, 'mmol/L', 'N'),
    );
    const report = await h.deps.fhir.create<fhir4.DiagnosticReport>({
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '51990-0', display: 'Basic metabolic panel' }] },
      subject: { reference: `Patient/${patientId}` },
      issued: new Date().toISOString(),
      resultsInterpreter: [{ reference: `Practitioner/${doc.practitionerId}` }],
      result: [{ reference: `Observation/${k.id}` }, { reference: `Observation/${na.id}` }],
    });

    const mine = await worklist(doc);
    const item = mine.items.find((i) => i.reportId === report.id);
    expect(item).toMatchObject({
      focusType: 'DiagnosticReport',
      patientId,
      orderingPractitionerId: doc.practitionerId,
      overdue: false,
    });
    expect(item!.patientName).toEqual(expect.stringMatching(/\S/));
    expect(item!.patientName).not.toContain(patientId);
    expect(item!.tests).toEqual([
      {
        observationId: k.id,
        code: '2823-3',
        display: 'Potassium [Moles/volume] in Serum or Plasma',
        value: 6.8,
        unit: 'mmol/L',
        flag: 'HH',
      },
    ]);
    expect((await worklist(careTeamNurse)).items.map((i) => i.reportId)).toContain(report.id);
    expect((await worklist(stranger)).items.map((i) => i.reportId)).not.toContain(report.id);

    await request(h.app).post(`/api/results/${report.id}/acknowledge`).set(doc.auth).send({}).expect(200);
    expect((await worklist(doc)).items.map((i) => i.reportId)).not.toContain(report.id);
    // Found again by a later full sweep, it stays acknowledged.
    await sweepCriticalResults(h.deps, { full: true });
    expect((await worklist(doc)).items.map((i) => i.reportId)).not.toContain(report.id);
  });

  it('lists an unflagged value beyond our critical limits, and a lone Observation acknowledged on itself', async () => {
    // Glucose 35 mg/dL with no interpretation and no report: the sender forgot to flag it.
    const glucose = await h.deps.fhir.create(
      observation(patientId, '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 35, 'mg/dL'),
    );
    const item = (await worklist(careTeamNurse)).items.find((i) => i.reportId === glucose.id);
    expect(item).toMatchObject({ focusType: 'Observation', serviceRequestId: null });
    expect(item!.tests[0]).toMatchObject({
      display: 'Glucose [Mass/volume] in Serum or Plasma',
      value: 35,
      flag: 'LL',
    });

    await request(h.app).post(`/api/results/${glucose.id}/acknowledge`).set(doc.auth).send({}).expect(200);
    const stored = await h.deps.fhir.read('Observation', glucose.id!);
    expect(stored.extension?.some((e) => e.url.endsWith('/acknowledged'))).toBe(true);
    expect((await worklist(doc)).items.map((i) => i.reportId)).not.toContain(glucose.id);
  });

  it('drops a value that was withdrawn, and never lists a normal one', async () => {
    const normal = await h.deps.fhir.create(observation(patientId, '2823-3', 'Potassium', 4.2, 'mmol/L', 'N'));
    const wrong = await h.deps.fhir.create(observation(patientId, '2823-3', 'Potassium', 7.4, 'mmol/L', 'HH'));
    await h.deps.fhir.update({ ...wrong, status: 'entered-in-error' });
    const ids = (await worklist(doc)).items.map((i) => i.reportId);
    expect(ids).not.toContain(normal.id);
    expect(ids).not.toContain(wrong.id);
  });
});
