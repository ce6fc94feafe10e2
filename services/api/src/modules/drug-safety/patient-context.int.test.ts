/**
 * The clinician scenario of issue 13 against the real HAPI: ibuprofen proposed for a CKD patient with K+ 6.8 on
 * lisinopril + spironolactone + warfarin must raise the renal/NSAID, hyperkalaemia and drug-disease findings, not
 * only the warfarin interaction.
 */
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { loadPatientSafetyContext } from './patient-safety-context';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const IBUPROFEN_400 = '197805';

let harness: Awaited<ReturnType<typeof buildTestApp>>;
let physician: TestUser;
let patientId: string;

beforeAll(async () => {
  harness = await buildTestApp();
  const fhir = harness.deps.fhir;
  const patient = await fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    active: true,
    gender: 'male',
    birthDate: `${new Date().getUTCFullYear() - 72}-03-02`,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${RUN_ID}-ckd` }],
    name: [{ family: 'Renaltest', given: ['Kay'] }],
  });
  patientId = patient.id!;
  const subject = { reference: `Patient/${patientId}` };
  const now = new Date().toISOString();
  const med = (code: string, display: string): fhir4.MedicationRequest => ({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject,
    authoredOn: now,
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }] },
  });
  const lab = (code: string, value: number, unit: string): fhir4.Observation => ({
    resourceType: 'Observation',
    status: 'final',
    subject,
    effectiveDateTime: now,
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
    ],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  });
  await Promise.all([
    fhir.create(med('314076', 'lisinopril 10 MG Oral Tablet')),
    fhir.create(med('313096', 'spironolactone 25 MG Oral Tablet')),
    fhir.create(med('855332', 'warfarin sodium 5 MG Oral Tablet')),
    fhir.create(lab('2823-3', 6.8, 'mmol/L')),
    fhir.create(lab('2160-0', 2.6, 'mg/dL')),
    fhir.create<fhir4.Condition>({
      resourceType: 'Condition',
      subject,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '431857002', display: 'Chronic kidney disease stage 4' }],
      },
    }),
  ]);
  physician = await createTestUser(harness.deps, { role: 'physician' });
  await harness.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    physician.user.id,
    patientId,
    'drug-safety patient-context test',
  ]);
});

afterAll(() => harness.close());

it('reads renal function (eGFR from creatinine), potassium and the problem list from HAPI', async () => {
  const ctx = await loadPatientSafetyContext(harness.deps.fhir, patientId);
  expect(ctx.active).toHaveLength(3);
  expect(ctx.patient).toMatchObject({ potassium: 6.8, conditions: ['ckd'], egfr: expect.any(Number) });
  expect(ctx.patient.egfr!).toBeLessThan(30);
});

it('ibuprofen raises renal/NSAID, hyperkalaemia and drug-disease findings besides the warfarin card', async () => {
  const res = await request(harness.app)
    .post('/api/medications/check-interactions')
    .set(physician.auth)
    .send({ patientId, medicationCodes: [IBUPROFEN_400] })
    .expect(200);
  const byRule = new Map<string, { kind: string; severity: string; evidence?: string }>(
    res.body.findings.map((f: { ruleId?: string; id: string }) => [f.ruleId ?? f.id, f]),
  );
  expect(byRule.get('anticoagulant-nsaid')).toMatchObject({ kind: 'drug-drug', severity: 'major' });
  expect(byRule.get('renal-nsaid-egfr-30')).toMatchObject({
    kind: 'drug-condition',
    severity: 'major',
    evidence: expect.stringContaining('eGFR'),
  });
  expect(byRule.get('potassium-raising-5.5')).toMatchObject({
    kind: 'drug-condition',
    severity: 'major',
    evidence: expect.stringContaining('6.8'),
  });
  expect(byRule.get('condition-nsaid-ckd')).toMatchObject({ kind: 'drug-condition', severity: 'major' });
  expect(byRule.get('fam-hyperk-nsaid-kspare')).toMatchObject({ kind: 'drug-drug' });
  expect(res.body.patient).toMatchObject({ potassium: 6.8, conditions: ['ckd'] });
});
