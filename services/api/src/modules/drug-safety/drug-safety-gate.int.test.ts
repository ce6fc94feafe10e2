/**
 * The drug-safety hook on the FHIR gate, against the real HAPI, with real SMART access tokens: MedicationRequest
 * writes that conflict with the chart are refused with a 422 OperationOutcome; a prescriber's override passes and is
 * audited; a patient cannot override; updates that add nothing and stopped orders are not screened.
 */
import request from 'supertest';
import { issueSmartAccessToken, type SmartContext } from '../../core/auth/smart-token';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPractitioner, createTestUser } from '../../test-support/users';
import {
  AMOXICILLIN_500,
  CLARITHROMYCIN_500,
  LISINOPRIL_10,
  RXNORM,
  createTestChart,
  type TestChart,
} from '../cds-hooks/test-chart.test-util';
import { EXT_SAFETY_OVERRIDE } from './override-policy';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;
const DDI_RULE = 'onc-11-statin-strong-cyp3a4';

describe('drug-safety hook on FHIR gate MedicationRequest writes', () => {
  let h: Harness;
  let chart: TestChart;
  let doctorUserId: string;
  let doctorToken: string;
  let narrowToken: string;
  let patientToken: string;

  const mint = async (ctx: Omit<SmartContext, 'tokenId' | 'expiresAt'>) =>
    (await issueSmartAccessToken(h.deps.tokens, h.deps.config.publicBaseUrl, ctx, 600)).token;
  const send = (method: 'post' | 'put', path: string, token: string, body: unknown) => {
    const agent = request(h.app);
    return (method === 'post' ? agent.post(`/fhir/${path}`) : agent.put(`/fhir/${path}`))
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify(body));
  };

  const order = (code: string, extra: Partial<fhir4.MedicationRequest> = {}): fhir4.MedicationRequest => ({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${chart.patientId}` },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code }] },
    ...extra,
  });
  const withOverride = (mr: fhir4.MedicationRequest, reason: string, rules: string[]): fhir4.MedicationRequest => ({
    ...mr,
    extension: [
      {
        url: EXT_SAFETY_OVERRIDE,
        extension: [{ url: 'reason', valueString: reason }, ...rules.map((r) => ({ url: 'rule', valueString: r }))],
      },
    ],
  });
  const issueCodes = (oo: fhir4.OperationOutcome) =>
    oo.issue.filter((i) => i.code === 'business-rule').map((i) => i.details?.coding?.[0]?.code);
  const ordersOf = async (code: string) => {
    const b = await h.deps.fhir.search('MedicationRequest', { patient: chart.patientId, code: `${RXNORM}|${code}` });
    return (b.entry ?? []).map((e) => e.resource as fhir4.MedicationRequest);
  };

  beforeAll(async () => {
    h = await buildTestApp();
    chart = await createTestChart(h.deps.fhir, `${RUN_ID}-gate-ds`);
    const doctor = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    doctorUserId = doctor.user.id;
    await h.deps.pg.query(
      "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'drug-safety gate test')",
      [doctor.user.id, chart.patientId],
    );
    const staff = {
      kind: 'user' as const,
      clientId: `ds-gate-${RUN_ID}`,
      userId: doctor.user.id,
      username: doctor.user.username,
      role: 'physician' as const,
      fhirUser: `Practitioner/${doctor.user.fhir_practitioner_id}`,
    };
    doctorToken = await mint({ ...staff, scopes: ['user/*.cruds'] });
    // A launch that may write orders but not read allergies.
    narrowToken = await mint({
      ...staff,
      patientId: chart.patientId,
      scopes: ['launch/patient', 'patient/MedicationRequest.cru'],
    });
    const pt = await createTestUser(h.deps, { role: 'patient', patientId: chart.patientId });
    patientToken = await mint({
      kind: 'user',
      clientId: `ds-gate-${RUN_ID}`,
      userId: pt.user.id,
      username: pt.user.username,
      role: 'patient',
      fhirUser: `Patient/${chart.patientId}`,
      patientId: chart.patientId,
      scopes: ['launch/patient', 'patient/*.cruds'],
    });
  });
  afterAll(async () => {
    await h.deps.audit.flush();
    await h.close();
  });

  it('refuses a contraindicated interaction with a 422 OperationOutcome and writes nothing', async () => {
    const res = await send('post', 'MedicationRequest', doctorToken, order(CLARITHROMYCIN_500));
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.coding[0].code).toBe('MEDICATION_SAFETY_OVERRIDE_REQUIRED');
    expect(issueCodes(res.body)).toEqual([DDI_RULE]);
    expect(res.body.issue.find((i: fhir4.OperationOutcomeIssue) => i.code === 'business-rule').diagnostics).toMatch(
      /simvastatin/i,
    );
    expect(await ordersOf(CLARITHROMYCIN_500)).toEqual([]);
  });

  it('refuses a drug-allergy conflict, naming the allergy only to a token that may read allergies', async () => {
    const full = await send('post', 'MedicationRequest', doctorToken, order(AMOXICILLIN_500));
    expect(full.status).toBe(422);
    expect(issueCodes(full.body)).toEqual([`drug-allergy:AllergyIntolerance/${chart.allergyId}`]);
    expect(JSON.stringify(full.body)).toMatch(/penicillin/i);
    const narrow = await send('post', 'MedicationRequest', narrowToken, order(AMOXICILLIN_500));
    expect(narrow.status).toBe(422);
    expect(issueCodes(narrow.body)).toEqual([`drug-allergy:AllergyIntolerance/${chart.allergyId}`]);
    expect(JSON.stringify(narrow.body)).not.toMatch(/penicillin/i);
  });

  it('a prescriber overrides with the extension naming every finding; the override is audited', async () => {
    const incomplete = await send(
      'post',
      'MedicationRequest',
      doctorToken,
      withOverride(order(CLARITHROMYCIN_500), 'five-day course, simvastatin held', ['another-rule']),
    );
    expect([incomplete.status, incomplete.body.issue[0].details.coding[0].code]).toEqual([
      422,
      'MEDICATION_SAFETY_OVERRIDE_INCOMPLETE',
    ]);
    const ok = await send(
      'post',
      'MedicationRequest',
      doctorToken,
      withOverride(order(CLARITHROMYCIN_500), 'five-day course, simvastatin held', [DDI_RULE]),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.extension[0].url).toBe(EXT_SAFETY_OVERRIDE);
    await h.deps.audit.flush();
    const audit = await h.deps.pg.query<{ user_id: string; details: { rules: string[] } }>(
      "SELECT user_id, details FROM audit_log WHERE action = 'fhir.medication-safety-override' AND patient_id = $1",
      [chart.patientId],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ user_id: doctorUserId, details: expect.objectContaining({ rules: [DDI_RULE] }) }),
    ]);
    // Updating the overridden order (same drug, same extension) passes.
    const noted = await send('put', `MedicationRequest/${ok.body.id}`, doctorToken, {
      ...ok.body,
      note: [{ text: 'take with food' }],
    });
    expect(noted.status).toBe(200);
  });

  it('a patient cannot override a refusal', async () => {
    const res = await send(
      'post',
      'MedicationRequest',
      patientToken,
      withOverride(order(AMOXICILLIN_500), 'I took it last year without trouble', [
        `drug-allergy:AllergyIntolerance/${chart.allergyId}`,
      ]),
    );
    expect([res.status, res.body.issue[0].details.coding[0].code]).toEqual([
      422,
      'MEDICATION_SAFETY_OVERRIDE_NOT_PERMITTED',
    ]);
  });

  it('updates are screened when they change the drug; stopped orders and safe drugs are not refused', async () => {
    const safe = await send('post', 'MedicationRequest', doctorToken, order(LISINOPRIL_10));
    expect(safe.status).toBe(201);
    const swapped = await send('put', `MedicationRequest/${safe.body.id}`, doctorToken, {
      ...safe.body,
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: AMOXICILLIN_500 }] },
    });
    expect(swapped.status).toBe(422);
    const stopped = await send('post', 'MedicationRequest', doctorToken, order(AMOXICILLIN_500, { status: 'stopped' }));
    expect(stopped.status).toBe(201);
    // Re-activating that stopped order would put the conflicting drug back in force: screened.
    const reactivated = await send('put', `MedicationRequest/${stopped.body.id}`, doctorToken, {
      ...stopped.body,
      status: 'active',
    });
    expect(reactivated.status).toBe(422);
  });
});
