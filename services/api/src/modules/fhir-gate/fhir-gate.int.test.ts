/**
 * The FHIR gate against the real HAPI: positive reads and writes, token rules, user and system tokens, and an
 * attack suite of cross-patient attempts with patient A's token, each of which must be refused or return only A's
 * data (no id of patient B's resources anywhere in the answer).
 */
import request from 'supertest';
import { issueSmartAccessToken, type SmartContext } from '../../core/auth/smart-token';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { AppError } from '../../core/errors';
import { compartmentPatients } from './compartment';
import type { GateWriteHook } from './write-hooks';
import { APP_MODULES } from '../manifest';
import { createTestPatient, createTestPractitioner, createTestUser } from '../../test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;
const LAB = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] };
const VITAL = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
};
const ref = (r: string) => ({ reference: r });

interface PatientData {
  patient: string;
  labObs: string;
  vitalObs: string;
  condition: string;
  encounter: string;
  medReq: string;
}

describe('FHIR gate (real HAPI)', () => {
  let h: Harness;
  let base: string;
  let A: PatientData;
  let B: PatientData;
  let shared: string;
  let obsBPerformerA: string;
  let obsAPerformerB: string;
  let tokA: string;
  let tokA2: string;
  let tokB: string;
  let patientUserA: Awaited<ReturnType<typeof createTestUser>>;
  let bIds: string[];

  const mint = async (ctx: Omit<SmartContext, 'tokenId' | 'expiresAt'>) =>
    (await issueSmartAccessToken(h.deps.tokens, h.deps.config.publicBaseUrl, ctx, 600)).token;
  const get = (path: string, token?: string) => {
    const r = request(h.app).get(`/fhir/${path}`);
    return token ? r.set('Authorization', `Bearer ${token}`) : r;
  };
  const getUrl = (url: string, token: string) =>
    request(h.app).get(url.slice(h.deps.config.publicBaseUrl.length)).set('Authorization', `Bearer ${token}`);
  const send = (
    method: 'post' | 'put' | 'delete' | 'patch',
    path: string,
    token: string,
    body?: unknown,
    type = 'application/fhir+json',
  ) => {
    const r = request(h.app)[method](`/fhir/${path}`).set('Authorization', `Bearer ${token}`);
    return body === undefined
      ? r
      : r.set('Content-Type', type).send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  async function makePatient(family: string): Promise<PatientData> {
    const patient = await createTestPatient(h.deps, family);
    const subject = ref(`Patient/${patient}`);
    const [labObs, vitalObs, condition, encounter, medReq] = await Promise.all([
      h.deps.fhir.create<fhir4.Observation>({
        resourceType: 'Observation',
        status: 'final',
        category: [LAB],
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
        subject,
        performer: [ref(`Practitioner/${shared}`)],
        identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${family}` }],
      }),
      h.deps.fhir.create<fhir4.Observation>({
        resourceType: 'Observation',
        status: 'final',
        category: [VITAL],
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject,
      }),
      h.deps.fhir.create<fhir4.Condition>({
        resourceType: 'Condition',
        subject,
        code: { text: 'test' },
        asserter: ref(`Practitioner/${shared}`),
      }),
      h.deps.fhir.create<fhir4.Encounter>({
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject,
        participant: [{ individual: ref(`Practitioner/${shared}`) }],
      }),
      h.deps.fhir.create<fhir4.MedicationRequest>({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject,
        requester: ref(`Practitioner/${shared}`),
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
        },
      }),
    ]);
    return {
      patient,
      labObs: labObs.id!,
      vitalObs: vitalObs.id!,
      condition: condition.id!,
      encounter: encounter.id!,
      medReq: medReq.id!,
    };
  }

  beforeAll(async () => {
    h = await buildTestApp();
    base = `${h.deps.config.publicBaseUrl}/fhir`;
    shared = await createTestPractitioner(h.deps);
    [A, B] = await Promise.all([makePatient('Gatealpha'), makePatient('Gatebeta')]);
    obsBPerformerA = (
      await h.deps.fhir.create<fhir4.Observation>({
        resourceType: 'Observation',
        status: 'final',
        category: [LAB],
        code: { text: 'x' },
        subject: ref(`Patient/${B.patient}`),
        performer: [ref(`Patient/${A.patient}`)],
      })
    ).id!;
    obsAPerformerB = (
      await h.deps.fhir.create<fhir4.Observation>({
        resourceType: 'Observation',
        status: 'final',
        category: [LAB],
        code: { text: 'y' },
        subject: ref(`Patient/${A.patient}`),
        performer: [ref(`Patient/${B.patient}`)],
      })
    ).id!;
    bIds = [B.patient, B.labObs, B.vitalObs, B.condition, B.encounter, B.medReq, obsBPerformerA];
    patientUserA = await createTestUser(h.deps, { role: 'patient', patientId: A.patient });
    const patientUserB = await createTestUser(h.deps, { role: 'patient', patientId: B.patient });
    const userCtx = (u: typeof patientUserA, pid: string) => ({
      kind: 'user' as const,
      clientId: `gate-test-${RUN_ID}`,
      userId: u.user.id,
      username: u.user.username,
      role: 'patient' as const,
      fhirUser: `Patient/${pid}`,
      patientId: pid,
    });
    tokA = await mint({
      ...userCtx(patientUserA, A.patient),
      scopes: ['launch/patient', 'openid', 'fhirUser', 'patient/*.cruds'],
    });
    tokA2 = await mint({ ...userCtx(patientUserA, A.patient), scopes: ['launch/patient', 'patient/*.rs'] });
    tokB = await mint({ ...userCtx(patientUserB, B.patient), scopes: ['launch/patient', 'patient/*.rs'] });
  });
  afterAll(async () => {
    await h.deps.audit.flush();
    await h.close();
  });

  /** Every resource in an answer: the body, bundle entries (recursively), contained resources. */
  function resourcesIn(x: unknown): Array<{ resourceType: string; id?: string }> {
    if (!x || typeof x !== 'object' || typeof (x as { resourceType?: unknown }).resourceType !== 'string') return [];
    const r = x as { resourceType: string; entry?: Array<{ resource?: unknown }>; contained?: unknown[] };
    return [r, ...(r.entry ?? []).flatMap((e) => resourcesIn(e.resource)), ...(r.contained ?? []).flatMap(resourcesIn)];
  }

  /** Refused, or only A's data: no resource of B's, none in B's compartment, nothing carrying B's name or identifier. */
  function expectNoB(res: request.Response, allowed = [200, 201, 400, 403, 404, 405, 415, 422]) {
    expect(allowed).toContain(res.status);
    for (const r of resourcesIn(res.body)) {
      expect(bIds).not.toContain(r.id);
      expect(compartmentPatients(r)).not.toContain(B.patient);
      if (r.resourceType !== 'Bundle' && r.resourceType !== 'OperationOutcome')
        expect(JSON.stringify(r)).not.toContain('Gatebeta');
    }
  }
  const entries = (res: request.Response) => ((res.body as fhir4.Bundle).entry ?? []).map((e) => e.resource!);

  describe('positive: patient A reads and writes its own data', () => {
    it('reads its Patient and Observations; every URL points at the façade', async () => {
      const p = await get(`Patient/${A.patient}`, tokA);
      expect(p.status).toBe(200);
      expect(p.body.id).toBe(A.patient);
      expect(p.headers['content-type']).toMatch(/application\/fhir\+json/);
      const s = await get(`Observation?patient=${A.patient}`, tokA);
      expect(s.status).toBe(200);
      const ids = entries(s).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([A.labObs, A.vitalObs, obsAPerformerB]));
      for (const e of (s.body as fhir4.Bundle).entry ?? []) expect(e.fullUrl!.startsWith(`${base}/`)).toBe(true);
      for (const l of (s.body as fhir4.Bundle).link ?? []) expect(l.url.startsWith(base)).toBe(true);
      expect(s.text).not.toMatch(/localhost:8080|127\.0\.0\.1:8080/);
    });

    it('search without a patient parameter is forced to the patient in context', async () => {
      const s = await get('Condition', tokA);
      expect(s.status).toBe(200);
      expect(entries(s).map((r) => r.id)).toEqual([A.condition]);
      const e = await get('Encounter?_count=50', tokA);
      expect(entries(e).map((r) => r.id)).toEqual([A.encounter]);
    });

    it('pages through results with signed links bound to the token', async () => {
      const first = await get('Observation?_count=1', tokA);
      expect(first.status).toBe(200);
      const next = (first.body as fhir4.Bundle).link!.find((l) => l.relation === 'next')!.url;
      expect(next.startsWith(`${base}?_getpages=`)).toBe(true);
      expect(next).toContain('_gate=');
      const page = await getUrl(next, tokA);
      expect(page.status).toBe(200);
      expect(entries(page)).toHaveLength(1);
      for (const r of entries(page)) expect((r as fhir4.Observation).subject!.reference).toBe(`Patient/${A.patient}`);
    });

    it('creates and updates its own Observation; Location points at the façade', async () => {
      const obs = {
        resourceType: 'Observation',
        status: 'preliminary',
        code: { text: 'self-reported' },
        subject: ref(`Patient/${A.patient}`),
      };
      const c = await send('post', 'Observation', tokA, obs);
      expect(c.status).toBe(201);
      expect(c.headers.location).toMatch(new RegExp(`^${base}/Observation/`));
      const u = await send('put', `Observation/${c.body.id}`, tokA, { ...c.body, status: 'final' });
      expect(u.status).toBe(200);
      expect(u.body.status).toBe('final');
      const p = await send(
        'patch',
        `Observation/${c.body.id}`,
        tokA,
        [{ op: 'replace', path: '/status', value: 'amended' }],
        'application/json-patch+json',
      );
      expect(p.status).toBe(200);
      expect(p.body.status).toBe('amended');
      const d = await send('delete', `Observation/${c.body.id}`, tokA);
      expect(d.status).toBeLessThan(300);
    });

    it("Patient/A/$everything returns only A's resources", async () => {
      const r = await get(`Patient/${A.patient}/$everything`, tokA);
      expect(r.status).toBe(200);
      const ids = entries(r).map((x) => x.id);
      expect(ids).toEqual(expect.arrayContaining([A.patient, A.labObs, A.condition]));
      expectNoB(r);
    });

    it('a granular lab-only token sees lab Observations only', async () => {
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: patientUserA.user.id,
        role: 'patient',
        fhirUser: `Patient/${A.patient}`,
        patientId: A.patient,
        scopes: [
          'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
        ],
      });
      const s = await get('Observation', tok);
      expect(s.status).toBe(200);
      const ids = entries(s).map((r) => r.id);
      expect(ids).toContain(A.labObs);
      expect(ids).not.toContain(A.vitalObs);
      expect((await get(`Observation/${A.vitalObs}`, tok)).status).toBe(403);
      expect((await get(`Condition/${A.condition}`, tok)).status).toBe(403);
    });

    it('_elements keeps what the compartment check needs', async () => {
      const s = await get('Observation?_elements=code', tokA);
      expect(s.status).toBe(200);
      expect(entries(s).length).toBeGreaterThan(0);
      expect(entries(s).every((r) => (r as fhir4.Observation).subject?.reference === `Patient/${A.patient}`)).toBe(
        true,
      );
    });

    it('audits each access with the client id and parameter names only', async () => {
      await get(`Observation?patient=${A.patient}&code=2345-7`, tokA);
      await get(`Observation/${B.labObs}`, tokA);
      await h.deps.audit.flush();
      const { rows } = await h.deps.pg.query<{
        action: string;
        outcome: string;
        patient_id: string;
        resource_type: string;
        resource_id: string | null;
        details: Record<string, unknown>;
      }>(
        "SELECT action, outcome, patient_id, resource_type, resource_id, details FROM audit_log WHERE client_id = $1 AND action IN ('fhir.search', 'fhir.read') ORDER BY id DESC LIMIT 2",
        [`gate-test-${RUN_ID}`],
      );
      const [read, search] = rows;
      expect(search).toMatchObject({
        action: 'fhir.search',
        outcome: 'success',
        patient_id: A.patient,
        resource_type: 'Observation',
      });
      expect(search!.details.params).toEqual(['patient', 'code']);
      expect(JSON.stringify(search!.details)).not.toContain('2345-7');
      expect(read).toMatchObject({
        action: 'fhir.read',
        outcome: 'denied',
        resource_type: 'Observation',
        resource_id: B.labObs,
      });
    });
  });

  describe('tokens', () => {
    it('no token and business-API tokens are 401 with WWW-Authenticate', async () => {
      const none = await get(`Patient/${A.patient}`);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      expect(none.body.resourceType).toBe('OperationOutcome');
      const staff = await createTestUser(h.deps, { role: 'admin' });
      const biz = await get(`Patient/${A.patient}`, staff.token);
      expect(biz.status).toBe(401);
      expect(biz.headers['www-authenticate']).toMatch(/invalid_token/);
    });

    it('refuses tokens mixing contexts, patient/ without a patient, and a patient user launched into another record', async () => {
      const u = {
        kind: 'user' as const,
        clientId: 'g',
        userId: patientUserA.user.id,
        role: 'patient' as const,
        fhirUser: `Patient/${A.patient}`,
      };
      const mixed = await mint({ ...u, patientId: A.patient, scopes: ['patient/*.rs', 'user/Observation.rs'] });
      const noPatient = await mint({ ...u, scopes: ['patient/*.rs'] });
      const other = await mint({ ...u, patientId: B.patient, scopes: ['patient/*.rs'] });
      const noScopes = await mint({ ...u, patientId: A.patient, scopes: ['openid', 'fhirUser'] });
      for (const t of [mixed, noPatient, other, noScopes]) {
        const r = await get(`Patient/${A.patient}`, t);
        expect(r.status).toBe(403);
        expect(r.body.resourceType).toBe('OperationOutcome');
        expectNoB(r, [403]);
      }
    });

    it('a revoked token is refused', async () => {
      const { token, jti, exp } = await issueSmartAccessToken(
        h.deps.tokens,
        h.deps.config.publicBaseUrl,
        {
          kind: 'user',
          clientId: 'g',
          userId: patientUserA.user.id,
          role: 'patient',
          fhirUser: `Patient/${A.patient}`,
          patientId: A.patient,
          scopes: ['patient/*.rs'],
        },
        600,
      );
      await h.deps.pg.query('INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, to_timestamp($2))', [
        jti,
        exp,
      ]);
      expect((await get(`Patient/${A.patient}`, token)).status).toBe(401);
    });

    it('scopes limit types and interactions', async () => {
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: patientUserA.user.id,
        role: 'patient',
        fhirUser: `Patient/${A.patient}`,
        patientId: A.patient,
        scopes: ['patient/Patient.r', 'patient/Observation.s'],
      });
      expect((await get(`Patient/${A.patient}`, tok)).status).toBe(200);
      expect((await get('Patient', tok)).status).toBe(403);
      expect((await get(`Observation/${A.labObs}`, tok)).status).toBe(403);
      expect((await get('Observation', tok)).status).toBe(200);
      expect(
        (
          await send('post', 'Observation', tok, {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'x' },
            subject: ref(`Patient/${A.patient}`),
          })
        ).status,
      ).toBe(403);
    });

    it('leaves .well-known/smart-configuration to the SMART module and answers CORS preflights itself', async () => {
      const c = await get('.well-known/smart-configuration');
      expect(c.status).toBe(200);
      expect(c.body.token_endpoint).toBeDefined();
      const pre = await request(h.app)
        .options('/fhir/Observation')
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    });

    it('metadata is public and advertises the SMART endpoints at the façade', async () => {
      const m = await get('metadata');
      expect(m.status).toBe(200);
      expect(m.body.resourceType).toBe('CapabilityStatement');
      const ext = m.body.rest[0].security.extension[0];
      expect(ext.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
      expect(ext.extension.map((e: { url: string }) => e.url)).toEqual(['authorize', 'token', 'introspect', 'revoke']);
      expect(m.body.implementation.url).toBe(base);
      expect(m.text).not.toMatch(/localhost:8080/);
    });
  });

  describe('user and system tokens', () => {
    it('a physician reaches a patient with a relationship and not one without', async () => {
      const doc = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'gate test')",
        [doc.user.id, A.patient],
      );
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: doc.user.id,
        username: doc.user.username,
        role: 'physician',
        fhirUser: `Practitioner/${doc.user.fhir_practitioner_id}`,
        scopes: ['user/*.rs'],
      });
      expect((await get(`Patient/${A.patient}`, tok)).status).toBe(200);
      expect((await get(`Observation/${A.labObs}`, tok)).status).toBe(200);
      expect((await get(`Patient/${B.patient}`, tok)).status).toBe(403);
      expect((await get(`Observation/${B.labObs}`, tok)).status).toBe(403);
      expect((await get(`Observation?patient=${B.patient}`, tok)).status).toBe(403);
      const s = await get(`Observation?code=2345-7&identifier=urn:wintehr:test|${RUN_ID}-Gatebeta`, tok);
      expect(s.status).toBe(200);
      expectNoB(s);
      expect(s.body.total).toBeUndefined();
      // Counts across patients the user may not reach never leave the gate.
      expect((await get('Observation?code=2345-7&_summary=count', tok)).status).toBe(403);
      const own = await get(`Observation?patient=${A.patient}&_summary=count`, tok);
      expect(own.status).toBe(200);
      expect(own.body.total).toBe(3);
      const stranger = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      const tok2 = await mint({
        kind: 'user',
        clientId: 'g',
        userId: stranger.user.id,
        role: 'physician',
        scopes: ['user/*.rs'],
      });
      expect((await get(`Patient/${A.patient}`, tok2)).status).toBe(403);
      // Writes: the role permission and the relationship apply to the patient the body names.
      const wtok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: doc.user.id,
        role: 'physician',
        fhirUser: `Practitioner/${doc.user.fhir_practitioner_id}`,
        scopes: ['user/Observation.cruds'],
      });
      const obs = (pid: string) => ({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'by doctor' },
        subject: ref(`Patient/${pid}`),
      });
      const created = await send('post', 'Observation', wtok, obs(A.patient));
      expect(created.status).toBe(201);
      expect((await send('post', 'Observation', wtok, obs(B.patient))).status).toBe(403);
      expect(
        (await send('put', `Observation/${created.body.id}`, wtok, { ...obs(B.patient), id: created.body.id })).status,
      ).toBe(403);
      expect((await send('delete', `Observation/${B.vitalObs}`, wtok)).status).toBe(403);
      // Deleting clinical data needs patient:delete, which no role holds.
      expect((await send('delete', `Observation/${created.body.id}`, wtok)).status).toBe(403);
      await h.deps.fhir.delete('Observation', created.body.id);
      const nurse = await createTestUser(h.deps, { role: 'lab_technician' });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'gate test')",
        [nurse.user.id, A.patient],
      );
      const ntok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: nurse.user.id,
        role: 'lab_technician',
        scopes: ['user/*.cruds'],
      });
      expect(
        (
          await send('post', 'MedicationRequest', ntok, {
            resourceType: 'MedicationRequest',
            status: 'draft',
            intent: 'proposal',
            subject: ref(`Patient/${A.patient}`),
            medicationCodeableConcept: { text: 'x' },
          })
        ).status,
      ).toBe(403);
      // A staff user's patient/ token still needs the relationship.
      const tok3 = await mint({
        kind: 'user',
        clientId: 'g',
        userId: stranger.user.id,
        role: 'physician',
        patientId: A.patient,
        scopes: ['patient/*.rs'],
      });
      expect((await get(`Patient/${A.patient}`, tok3)).status).toBe(403);
    });

    it('without the patient allowlist (user token), the response check still removes what the user may not see', async () => {
      const doc = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'gate test')",
        [doc.user.id, A.patient],
      );
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: doc.user.id,
        role: 'physician',
        scopes: ['user/*.rs'],
      });
      // HAPI returns A's and B's Observations through the shared practitioner; only A's may leave.
      const r = await get(
        `Practitioner?_id=${shared}&_revinclude=Observation:performer&_revinclude=Encounter:participant`,
        tok,
      );
      expect(r.status).toBe(200);
      const ids = entries(r).map((x) => x.id);
      expect(ids).toEqual(expect.arrayContaining([shared, A.labObs, A.encounter]));
      expectNoB(r);
      expect((r.body as fhir4.Bundle).total).toBeUndefined();
    });

    it("MedicationRequest writes run the write hooks of the app's modules; a hook refuses or warns", async () => {
      const seen: string[] = [];
      const hook: GateWriteHook = (c) => {
        seen.push(`${c.interaction}:${c.resource.subject?.reference}`);
        if (c.resource.medicationCodeableConcept?.text === 'refuse me')
          throw new AppError(422, 'DRUG_SAFETY', 'refused by the drug-safety hook');
        if (c.resource.medicationCodeableConcept?.text === 'warn me')
          c.warn({ severity: 'warning', code: 'incomplete', diagnostics: 'Not checked: test' });
      };
      // Hooks belong to the app they were built into: this one exists only in a second app.
      const h2 = await buildTestApp({ modules: [...APP_MODULES, { name: 'test-hook', fhirWriteHooks: [hook] }] });
      const send2 = (path: string, body: unknown, prefer?: string) => {
        const r = request(h2.app)
          .post(`/fhir/${path}`)
          .set('Authorization', `Bearer ${tokA}`)
          .set('Content-Type', 'application/fhir+json');
        return (prefer ? r.set('Prefer', prefer) : r).send(JSON.stringify(body));
      };
      try {
        const mr = {
          resourceType: 'MedicationRequest',
          status: 'draft',
          intent: 'proposal',
          subject: ref(`Patient/${A.patient}`),
          medicationCodeableConcept: { text: 'ok' },
        };
        const ok = await send2('MedicationRequest', mr);
        expect(ok.status).toBe(201);
        // The drug-safety module's own hook: an uncoded drug is written, with a visible "not checked".
        expect(ok.headers.warning).toMatch(/^199 wintehr "Not checked: Unable to screen proposed medication/);
        const bad = await send2('MedicationRequest', { ...mr, medicationCodeableConcept: { text: 'refuse me' } });
        expect(bad.status).toBe(422);
        expect(bad.body.resourceType).toBe('OperationOutcome');
        const warned = await send2('MedicationRequest', { ...mr, medicationCodeableConcept: { text: 'warn me' } });
        expect(warned.status).toBe(201);
        expect(warned.body.resourceType).toBe('MedicationRequest');
        expect(warned.headers.warning).toContain('199 wintehr "Not checked: test"');
        const asOutcome = await send2(
          'MedicationRequest',
          { ...mr, medicationCodeableConcept: { text: 'warn me' } },
          'return=OperationOutcome',
        );
        expect(asOutcome.status).toBe(201);
        expect(asOutcome.body).toEqual({
          resourceType: 'OperationOutcome',
          issue: expect.arrayContaining([
            expect.objectContaining({ severity: 'warning', diagnostics: 'Not checked: test' }),
          ]),
        });
        const tx = await send2('', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { resource: mr, request: { method: 'POST', url: 'MedicationRequest' } },
            {
              resource: { ...mr, medicationCodeableConcept: { text: 'warn me' } },
              request: { method: 'POST', url: 'MedicationRequest' },
            },
          ],
        });
        expect(tx.status).toBe(200);
        const diagnostics = (i: number) =>
          (tx.body.entry[i].response.outcome?.issue ?? []).map((x: fhir4.OperationOutcomeIssue) => x.diagnostics);
        expect(diagnostics(0)).toEqual([expect.stringMatching(/^Not checked: Unable to screen/)]);
        expect(diagnostics(1)).toEqual(expect.arrayContaining(['Not checked: test']));
        expect(seen).toEqual(Array(6).fill(`create:Patient/${A.patient}`));
        // The first app was built without the test hook.
        expect(
          (await send('post', 'MedicationRequest', tokA, { ...mr, medicationCodeableConcept: { text: 'refuse me' } }))
            .status,
        ).toBe(201);
      } finally {
        await h2.close();
      }
    });

    it('a system token is limited by its scopes only', async () => {
      const sys = await mint({
        kind: 'system',
        clientId: 'backend',
        scopes: ['system/Patient.rs', 'system/Observation.rs'],
      });
      expect((await get(`Patient/${B.patient}`, sys)).status).toBe(200);
      expect((await get(`Observation?patient=${B.patient}`, sys)).status).toBe(200);
      expect((await get(`Condition/${B.condition}`, sys)).status).toBe(403);
      expect(
        (await send('post', 'Observation', sys, { resourceType: 'Observation', status: 'final', code: { text: 'x' } }))
          .status,
      ).toBe(403);
      const userSys = await mint({
        kind: 'user',
        clientId: 'g',
        userId: patientUserA.user.id,
        role: 'patient',
        scopes: ['system/*.rs'],
      });
      expect((await get(`Patient/${A.patient}`, userSys)).status).toBe(403);
    });
  });

  describe("attack suite: patient A's token against patient B", () => {
    const reads: Array<[string, () => string]> = [
      ['read Patient/B', () => `Patient/${B.patient}`],
      ["read B's Observation", () => `Observation/${B.labObs}`],
      ["read B's Condition", () => `Condition/${B.condition}`],
      ["read B's Encounter", () => `Encounter/${B.encounter}`],
      ["read B's MedicationRequest", () => `MedicationRequest/${B.medReq}`],
      ["read B's Observation that names A as performer", () => `Observation/${obsBPerformerA}`],
      ["vread B's Observation", () => `Observation/${B.labObs}/_history/1`],
      ["instance history of B's Observation", () => `Observation/${B.labObs}/_history`],
      ['type-level history', () => 'Observation/_history'],
      ['system-level history', () => '_history'],
      ['search patient=B', () => `Observation?patient=${B.patient}`],
      ['search patient=Patient/B', () => `Observation?patient=Patient/${B.patient}`],
      ['search patient=A,B', () => `Observation?patient=${A.patient},${B.patient}`],
      ['search patient=A&patient=B', () => `Observation?patient=${A.patient}&patient=${B.patient}`],
      ['search subject=Patient/B', () => `Observation?subject=Patient/${B.patient}`],
      ['search subject=B (bare id)', () => `Observation?subject=${B.patient}`],
      ['search subject:Patient=B', () => `Observation?subject:Patient=${B.patient}`],
      ['search patient:identifier', () => `Observation?patient:identifier=urn:wintehr:mrn|x`],
      ['search patient:missing=true', () => 'Observation?patient:missing=true'],
      ['search subject:missing=true', () => 'Condition?subject:missing=true'],
      ['Patient?_id=B', () => `Patient?_id=${B.patient}`],
      ['Patient?_id=A,B', () => `Patient?_id=${A.patient},${B.patient}`],
      ["Patient?identifier (other patient's MRN) is pinned to A", () => 'Patient?identifier=urn:wintehr:mrn|'],
      ['_has reverse chain', () => `Patient?_has:Observation:patient:code=2345-7`],
      ['_has on Practitioner via B', () => `Practitioner?_has:Encounter:participant:patient=${B.patient}`],
      ['chained subject.name', () => 'Observation?subject.name=Gatebeta'],
      ['chained subject:Patient.name', () => 'Observation?subject:Patient.name=Gatebeta'],
      ['chained encounter.subject', () => `Observation?encounter.subject=Patient/${B.patient}`],
      [
        '_revinclude through the shared practitioner',
        () => `Practitioner?_id=${shared}&_revinclude=Observation:performer`,
      ],
      ['_revinclude Observation:subject on Patient', () => `Patient?_revinclude=Observation:subject`],
      [
        '_include of another patient (performer = B)',
        () => `Observation?_id=${obsAPerformerB}&_include=Observation:performer`,
      ],
      ['_include=*', () => 'Observation?_include=*'],
      ['_include:iterate', () => 'Observation?_include:iterate=Observation:patient'],
      ["Observation?_id=<B's obs>", () => `Observation?_id=${B.labObs}`],
      ['shared practitioner as requester', () => `MedicationRequest?requester=Practitioner/${shared}`],
      ['shared practitioner as encounter participant', () => `Encounter?participant=Practitioner/${shared}`],
      ['Patient/B/$everything', () => `Patient/${B.patient}/$everything`],
      ['type-level Patient/$everything', () => 'Patient/$everything'],
      ['$everything on Observation', () => `Observation/${A.labObs}/$everything`],
      ['compartment search Patient/B/Observation', () => `Patient/${B.patient}/Observation`],
      ['_format=xml', () => 'Observation?_format=xml'],
      ['_format=application/fhir+xml on a read', () => `Patient/${A.patient}?_format=application/fhir+xml`],
      ['_elements with a nested path', () => 'Observation?_elements=subject.reference'],
      ['_summary=text', () => 'Observation?_summary=text'],
      ['_sort by a chain', () => 'Observation?_sort=patient.name'],
      ['_count beyond the limit', () => 'Observation?_count=100000'],
      ['unknown parameter', () => 'Observation?foo=bar'],
      ['_filter', () => `Observation?_filter=patient eq ${B.patient}`],
      ['_content', () => 'Observation?_content=Gatebeta'],
      ['_text', () => 'Condition?_text=test'],
      ['_list', () => 'Observation?_list=$current-allergies'],
      ['_query', () => 'Observation?_query=anything'],
      ['_type at the base', () => 'Observation?_type=Patient'],
      ['GraphQL', () => '$graphql?query={Patient{id}}'],
      ['system-level search', () => `?_type=Observation&patient=${B.patient}`],
      ['_getpages guessing', () => '?_getpages=00000000-0000-0000-0000-000000000000&_getpagesoffset=0&_count=10'],
      ['type outside the compartment and reference data', () => 'Group?member=Patient/x'],
      ['AuditEvent search', () => `AuditEvent?patient=${B.patient}`],
    ];
    it.each(reads)('%s', async (_name, path) => {
      const r = await get(path(), tokA);
      expectNoB(r);
      if (r.status === 200 && r.body.resourceType === 'Bundle') {
        for (const e of (r.body as fhir4.Bundle).entry ?? []) {
          const res = e.resource as { resourceType: string; id: string; subject?: { reference?: string } };
          if (res.resourceType === 'Patient') expect(res.id).toBe(A.patient);
          if (res.subject?.reference?.startsWith('Patient/'))
            expect(res.subject.reference).toBe(`Patient/${A.patient}`);
        }
      }
    });

    it('paging link replayed by another token, or edited, is refused', async () => {
      const first = await get('Observation?_count=1', tokA);
      const next = (first.body as fhir4.Bundle).link!.find((l) => l.relation === 'next')!.url;
      expect((await getUrl(next, tokA)).status).toBe(200);
      expect((await getUrl(next, tokA2)).status).toBe(403);
      expect((await getUrl(next, tokB)).status).toBe(403);
      expect((await getUrl(next.replace(/_getpagesoffset=\d+/, '_getpagesoffset=0'), tokA)).status).toBe(403);
      expect((await getUrl(next.replace(/&_gate=[^&]+/, ''), tokA)).status).toBe(403);
      expect((await getUrl(`${next}&_gate=x`, tokA)).status).toBe(403);
      // B's own paging link, replayed with A's token.
      const bFirst = await get('Observation?_count=1', tokB);
      const bNext = (bFirst.body as fhir4.Bundle).link!.find((l) => l.relation === 'next')!.url;
      expect((await getUrl(bNext, tokB)).status).toBe(200);
      expectNoB(await getUrl(bNext, tokA), [403]);
      // HAPI's own link id for B's search, signed by nobody.
      const direct = await h.deps.fhir.search('Observation', { patient: B.patient, _count: 1 });
      const hapiNext = direct.link!.find((l) => l.relation === 'next')!.url;
      expectNoB(await get(hapiNext.slice(hapiNext.indexOf('?')), tokA), [403]);
    });

    const obsFor = (pid: string, extra: object = {}) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'attack' },
      subject: ref(`Patient/${pid}`),
      ...extra,
    });
    it('create an Observation for B', async () =>
      expectNoB(await send('post', 'Observation', tokA, obsFor(B.patient)), [403]));
    it('create an Observation for A naming B as performer', async () =>
      expectNoB(
        await send('post', 'Observation', tokA, obsFor(A.patient, { performer: [ref(`Patient/${B.patient}`)] })),
        [403],
      ));
    it('create with a contained Patient', async () =>
      expectNoB(
        await send(
          'post',
          'Observation',
          tokA,
          obsFor(A.patient, { contained: [{ resourceType: 'Patient', id: 'p' }] }),
        ),
        [403],
      ));
    it('create a Patient', async () =>
      expectNoB(await send('post', 'Patient', tokA, { resourceType: 'Patient', name: [{ family: 'X' }] }), [403]));
    it('create with a body of another type', async () =>
      expectNoB(
        await send('post', 'Observation', tokA, { resourceType: 'Condition', subject: ref(`Patient/${A.patient}`) }),
        [403],
      ));
    it('conditional create (If-None-Exist)', async () => {
      const r = await send('post', 'Observation', tokA, obsFor(A.patient)).set('If-None-Exist', `patient=${B.patient}`);
      expectNoB(r, [403]);
    });
    it("update A's Observation to point at B", async () => {
      const r = await send('put', `Observation/${A.vitalObs}`, tokA, { ...obsFor(B.patient), id: A.vitalObs });
      expectNoB(r, [403]);
      expect((await h.deps.fhir.read('Observation', A.vitalObs)).subject!.reference).toBe(`Patient/${A.patient}`);
    });
    it("update B's Observation to take it over", async () => {
      expectNoB(
        await send('put', `Observation/${B.vitalObs}`, tokA, { ...obsFor(A.patient), id: B.vitalObs }),
        [403, 404],
      );
      expect((await h.deps.fhir.read('Observation', B.vitalObs)).subject!.reference).toBe(`Patient/${B.patient}`);
    });
    it('update with a body id different from the URL', async () =>
      expectNoB(await send('put', `Observation/${A.vitalObs}`, tokA, { ...obsFor(A.patient), id: B.vitalObs }), [403]));
    it("delete B's Observation", async () => {
      expectNoB(await send('delete', `Observation/${B.labObs}`, tokA), [403, 404]);
      expect((await h.deps.fhir.read('Observation', B.labObs)).id).toBe(B.labObs);
    });
    it('conditional update', async () =>
      expectNoB(
        await send('put', `Observation?identifier=urn:wintehr:test|${RUN_ID}-Gatebeta`, tokA, obsFor(A.patient)),
        [403],
      ));
    it('conditional delete', async () =>
      expectNoB(await send('delete', `Observation?patient=${B.patient}`, tokA), [403]));
    it("PATCH that moves A's Observation to B", async () => {
      expectNoB(
        await send(
          'patch',
          `Observation/${A.labObs}`,
          tokA,
          [{ op: 'replace', path: '/subject/reference', value: `Patient/${B.patient}` }],
          'application/json-patch+json',
        ),
        [403],
      );
      expect((await h.deps.fhir.read('Observation', A.labObs)).subject!.reference).toBe(`Patient/${A.patient}`);
    });
    it("PATCH of B's Observation", async () => {
      expectNoB(
        await send(
          'patch',
          `Observation/${B.labObs}`,
          tokA,
          [{ op: 'replace', path: '/subject/reference', value: `Patient/${A.patient}` }],
          'application/json-patch+json',
        ),
        [403, 404],
      );
      expect((await h.deps.fhir.read('Observation', B.labObs)).subject!.reference).toBe(`Patient/${B.patient}`);
    });
    it('PATCH adding a contained Patient, or as FHIRPath Patch', async () => {
      expectNoB(
        await send(
          'patch',
          `Observation/${A.labObs}`,
          tokA,
          [{ op: 'add', path: '/contained', value: [{ resourceType: 'Patient', id: 'x' }] }],
          'application/json-patch+json',
        ),
        [403],
      );
      expectNoB(await send('patch', `Observation/${A.labObs}`, tokA, { resourceType: 'Parameters' }), [415]);
    });
    it('POST _search with patient=B in the form', async () =>
      expectNoB(
        await send('post', 'Observation/_search', tokA, `patient=${B.patient}`, 'application/x-www-form-urlencoded'),
        [403],
      ));
    it('$validate', async () => expectNoB(await send('post', 'Observation/$validate', tokA, obsFor(B.patient)), [403]));
    it('POST $graphql at the base', async () =>
      expectNoB(await send('post', '$graphql', tokA, { query: '{PatientList{id}}' }), [403]));
    it('XML body', async () =>
      expectNoB(
        await send('post', 'Observation', tokA, '<Observation xmlns="http://hl7.org/fhir"/>', 'application/fhir+xml'),
        [415],
      ));
    it("batch: GET B's Observation and a search for B", async () => {
      const read = await send('post', '', tokA, {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: `Observation/${B.labObs}` } },
          { request: { method: 'GET', url: `Patient/${A.patient}` } },
        ],
      });
      expectNoB(read, [200]);
      const kept = (read.body as fhir4.Bundle).entry!;
      expect(kept[0]!.response!.status).toMatch(/^40[34]/);
      expect((kept[1]!.resource as fhir4.Patient).id).toBe(A.patient);
      expectNoB(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: `Observation?patient=${B.patient}` } }],
        }),
        [403],
      );
      expectNoB(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: `Patient/${B.patient}` } }],
        }),
        [404],
      );
    });
    it('batch: a search entry is forced to A', async () => {
      const r = await send('post', '', tokA, {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'GET', url: 'Observation?_count=50' } }],
      });
      expectNoB(r, [200]);
      const inner = (r.body as fhir4.Bundle).entry![0]!.resource as fhir4.Bundle;
      expect((inner.entry ?? []).length).toBeGreaterThan(0);
    });
    it('transaction: create an Observation for B next to one for A', async () => {
      const r = await send('post', '', tokA, {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: obsFor(A.patient), request: { method: 'POST', url: 'Observation' } },
          { resource: obsFor(B.patient), request: { method: 'POST', url: 'Observation' } },
        ],
      });
      expectNoB(r, [403]);
    });
    it('transaction: subject by urn:uuid of a new Patient', async () => {
      const r = await send('post', '', tokA, {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:11111111-1111-1111-1111-111111111111',
            resource: { resourceType: 'Patient' },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: { ...obsFor(A.patient), subject: ref('urn:uuid:11111111-1111-1111-1111-111111111111') },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      });
      expectNoB(r, [403]);
    });
    it("transaction: update B's resource, delete B's resource, conditional entries, absolute urls", async () => {
      for (const entry of [
        {
          resource: { ...obsFor(A.patient), id: B.labObs },
          request: { method: 'PUT', url: `Observation/${B.labObs}` },
        },
        { request: { method: 'DELETE', url: `Observation/${B.labObs}` } },
        { request: { method: 'DELETE', url: `Observation?patient=${B.patient}` } },
        { resource: obsFor(A.patient), request: { method: 'PUT', url: `Observation?patient=${B.patient}` } },
        {
          resource: obsFor(A.patient),
          request: { method: 'POST', url: 'Observation', ifNoneExist: `patient=${B.patient}` },
        },
        { request: { method: 'GET', url: `http://localhost:8080/fhir/Patient/${B.patient}` } },
      ]) {
        expectNoB(
          await send('post', '', tokA, { resourceType: 'Bundle', type: 'transaction', entry: [entry] }),
          [403, 404],
        );
      }
      expect((await h.deps.fhir.read('Observation', B.labObs)).subject!.reference).toBe(`Patient/${B.patient}`);
    });
  });
  /**
   * Writes whose references HAPI would resolve after the gate has looked at the body: conditional references,
   * bundle-local urn:uuid indirection, absolute URLs of this server, and references to another patient's data
   * anywhere in the resource. Each must be refused, or resolved by the gate inside the caller's compartment —
   * and B's record must not change.
   */
  describe("attack suite: references in writes (patient A's token, then a user token)", () => {
    let mrnA: string;
    let mrnB: string;
    let bCompartment: string[];
    const obsIdentifierB = () => `urn:wintehr:test|${RUN_ID}-Gatebeta`;
    const obs = (extra: object = {}) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'ref attack' },
      subject: ref(`Patient/${A.patient}`),
      ...extra,
    });
    /** Everything HAPI puts in B's compartment, read directly from HAPI. */
    const compartmentOfB = async () => {
      const b = await h.deps.fhir.search('Patient', { _id: B.patient, _revinclude: '*', _count: 500 });
      return (b.entry ?? []).map((e) => `${e.resource!.resourceType}/${e.resource!.id}`).sort();
    };
    /** Refused with a 403 OperationOutcome that says why, nothing of B's in the answer. */
    const refused = (res: request.Response, why?: RegExp) => {
      expectNoB(res, [403]);
      expect(res.body.resourceType).toBe('OperationOutcome');
      if (why) expect(JSON.stringify(res.body)).toMatch(why);
    };

    beforeAll(async () => {
      const [pa, pb] = await Promise.all([
        h.deps.fhir.read('Patient', A.patient),
        h.deps.fhir.read('Patient', B.patient),
      ]);
      mrnA = `urn:wintehr:mrn|${pa.identifier![0]!.value}`;
      mrnB = `urn:wintehr:mrn|${pb.identifier![0]!.value}`;
      bCompartment = await compartmentOfB();
    });
    afterAll(async () => {
      // The whole block leaves B's record exactly as it was.
      expect(await compartmentOfB()).toEqual(bCompartment);
    });

    it('subject as a conditional reference to B (identifier, _id) is refused', async () => {
      refused(
        await send('post', 'Observation', tokA, obs({ subject: ref(`Patient?identifier=${mrnB}`) })),
        /conditional reference matches no Patient/,
      );
      refused(await send('post', 'Observation', tokA, obs({ subject: ref(`Patient?_id=${B.patient}`) })));
      refused(
        await send(
          'post',
          'Observation',
          tokA,
          obs({ subject: ref(`Patient?identifier=${mrnB}`), performer: [ref(`Patient/${A.patient}`)] }),
        ),
      );
      refused(
        await send('post', 'AllergyIntolerance', tokA, {
          resourceType: 'AllergyIntolerance',
          patient: ref(`Patient?identifier=${mrnB}`),
          code: { text: 'x' },
        }),
      );
      refused(
        await send('post', 'AllergyIntolerance', tokA, {
          resourceType: 'AllergyIntolerance',
          patient: ref(`Patient?_id=${B.patient}`),
          recorder: ref(`Patient/${A.patient}`),
          code: { text: 'x' },
        }),
      );
    });

    it("a conditional reference to A's own record is resolved by the gate and stored as Patient/<id>", async () => {
      for (const cond of [`Patient?identifier=${mrnA}`, `Patient?_id=${A.patient}`]) {
        const c = await send('post', 'Observation', tokA, obs({ subject: ref(cond) }));
        expect(c.status).toBe(201);
        expect(c.body.subject.reference).toBe(`Patient/${A.patient}`);
        expect((await h.deps.fhir.read('Observation', c.body.id)).subject!.reference).toBe(`Patient/${A.patient}`);
      }
      // Criteria matching both A and B resolve inside A's compartment only.
      const both = await send('post', 'Observation', tokA, obs({ subject: ref('Patient?birthdate=1980-05-17') }));
      expect(both.status).toBe(201);
      expect(both.body.subject.reference).toBe(`Patient/${A.patient}`);
    });

    it("PUT of A's own Observation whose subject becomes a conditional reference to B", async () => {
      const current = await h.deps.fhir.read('Observation', A.vitalObs);
      refused(
        await send('put', `Observation/${A.vitalObs}`, tokA, {
          ...current,
          subject: ref(`Patient?identifier=${mrnB}`),
        }),
      );
      refused(
        await send(
          'patch',
          `Observation/${A.vitalObs}`,
          tokA,
          [{ op: 'replace', path: '/subject/reference', value: `Patient?_id=${B.patient}` }],
          'application/json-patch+json',
        ),
      );
      expect((await h.deps.fhir.read('Observation', A.vitalObs)).subject!.reference).toBe(`Patient/${A.patient}`);
    });

    it("an id-free chain: a conditional hasMember / derivedFrom / encounter never resolves to B's data nor reveals its id", async () => {
      for (const extra of [
        { hasMember: [ref(`Observation?identifier=${obsIdentifierB()}`)] },
        { hasMember: [ref(`Observation?_id=${B.labObs}`)] },
        { derivedFrom: [ref(`Observation?patient=${B.patient}`)] },
        { encounter: ref(`Encounter?patient=${B.patient}`) },
        { encounter: ref(`Encounter?_id=${B.encounter}`) },
        { basedOn: [ref(`ServiceRequest?subject=Patient/${B.patient}`)] },
      ]) {
        const r = await send('post', 'Observation', tokA, obs(extra));
        refused(r);
        // No id of B's that the request did not already name.
        for (const id of bIds) if (!JSON.stringify(extra).includes(id)) expect(r.text).not.toContain(id);
      }
    });

    it("literal references to B's resources anywhere in the body, and to absent ones, read the same", async () => {
      const missing = await send('post', 'Observation', tokA, obs({ encounter: ref('Encounter/does-not-exist-0') }));
      const theirs = await send('post', 'Observation', tokA, obs({ encounter: ref(`Encounter/${B.encounter}`) }));
      refused(missing, /is not a resource this token may reference/);
      refused(theirs, /is not a resource this token may reference/);
      const shape = (res: request.Response, id: string) =>
        (res.body.issue[0].diagnostics as string).replaceAll(id, 'X').replace(/\(requestId .*\)/, '');
      expect(shape(theirs, B.encounter)).toBe(shape(missing, 'does-not-exist-0'));
      refused(await send('post', 'Observation', tokA, obs({ hasMember: [ref(`Observation/${B.labObs}`)] })));
      refused(
        await send(
          'post',
          'Observation',
          tokA,
          obs({ extension: [{ url: 'urn:x', valueReference: ref(`Patient/${B.patient}`) }] }),
        ),
      );
      refused(
        await send(
          'post',
          'Observation',
          tokA,
          obs({ note: [{ authorReference: ref(`Patient/${B.patient}`), text: 'x' }] }),
        ),
      );
      refused(
        await send(
          'post',
          'Observation',
          tokA,
          obs({
            contained: [
              {
                resourceType: 'Observation',
                id: 'c1',
                status: 'final',
                code: { text: 'c' },
                subject: ref(`Patient?_id=${B.patient}`),
              },
            ],
            hasMember: [ref('#c1')],
          }),
        ),
      );
      refused(
        await send('post', 'Provenance', tokA, {
          resourceType: 'Provenance',
          target: [ref(`Patient/${A.patient}`), ref(`Observation/${B.labObs}`)],
          recorded: '2026-01-01T00:00:00Z',
          agent: [{ who: ref(`Patient/${A.patient}`) }],
        }),
      );
      // A's own Encounter is fine even without an Encounter read scope.
      const writeOnly = await mint({
        kind: 'user',
        clientId: `gate-test-${RUN_ID}`,
        userId: patientUserA.user.id,
        username: patientUserA.user.username,
        role: 'patient',
        fhirUser: `Patient/${A.patient}`,
        patientId: A.patient,
        scopes: ['launch/patient', 'patient/Observation.c'],
      });
      expect(
        (await send('post', 'Observation', writeOnly, obs({ encounter: ref(`Encounter/${A.encounter}`) }))).status,
      ).toBe(201);
    });

    it("absolute references: this server's bases are the same as relative ones, other servers are refused", async () => {
      for (const b of ['http://localhost:8080/fhir', 'http://127.0.0.1:8080/fhir', base]) {
        refused(await send('post', 'Observation', tokA, obs({ subject: ref(`${b}/Patient/${B.patient}`) })));
        refused(await send('post', 'Observation', tokA, obs({ subject: ref(`${b}/Patient?identifier=${mrnB}`) })));
      }
      const own = await send('post', 'Observation', tokA, obs({ subject: ref(`${base}/Patient/${A.patient}`) }));
      expect(own.status).toBe(201);
      expect(own.body.subject.reference).toBe(`Patient/${A.patient}`);
      refused(
        await send(
          'post',
          'Observation',
          tokA,
          obs({ subject: ref(`https://other.example/fhir/Patient/${B.patient}`) }),
        ),
        /absolute references/,
      );
    });

    it('malformed references are refused, not guessed at', async () => {
      for (const r of [
        ` Patient/${B.patient}`,
        `Patient/${B.patient}/`,
        `/Patient/${B.patient}`,
        `Patient/../Patient/${B.patient}`,
        `Patient//${B.patient}`,
        '#missing',
        'Patient?',
      ]) {
        refused(await send('post', 'Observation', tokA, obs({ performer: [ref(r)] })));
      }
    });

    it('every compartment element: a conditional reference to B is refused for each type and path', async () => {
      const { PATIENT_COMPARTMENT } = await import('./compartment');
      /** { a: { b: value } } for 'a.b' (the gate finds references at any depth, arrays or not). */
      const at = (path: string, value: unknown): Record<string, unknown> =>
        path.split('.').reduceRight<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>;
      let cases = 0;
      for (const [type, entry] of Object.entries(PATIENT_COMPARTMENT)) {
        for (const path of [...entry.primary, ...entry.other]) {
          const primary = entry.primary.find((p) => p !== path);
          const body = {
            resourceType: type,
            ...(primary ? at(primary, ref(`Patient/${A.patient}`)) : {}),
            ...at(path, ref(`Patient?_id=${B.patient}`)),
          };
          const r = await send('post', type, tokA, body);
          expect({ type, path, status: r.status }).toEqual({ type, path, status: 403 });
          expectNoB(r, [403]);
          cases++;
        }
      }
      expect(cases).toBeGreaterThan(90);
    });

    it('transactions: urn:uuid indirection to anything but an entry the gate checked is refused', async () => {
      const u = (n: number) => `urn:uuid:00000000-0000-4000-8000-00000000000${n}`;
      // A GET entry's fullUrl would be resolved by nobody we checked.
      refused(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { fullUrl: u(1), request: { method: 'GET', url: `Patient/${A.patient}` } },
            { resource: obs({ subject: ref(u(1)) }), request: { method: 'POST', url: 'Observation' } },
          ],
        }),
      );
      // A conditional reference inside a transaction entry.
      refused(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: obs({ subject: ref(`Patient?identifier=${mrnB}`) }),
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        }),
      );
      // The subject itself by urn:uuid, even of a resource created in the same transaction.
      refused(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { fullUrl: u(2), resource: obs(), request: { method: 'POST', url: 'Observation' } },
            {
              resource: obs({ subject: ref(u(2)), performer: [ref(`Patient/${A.patient}`)] }),
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        }),
      );
      // urn:uuid outside a transaction (batch entries are independent).
      refused(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [
            { fullUrl: u(3), resource: obs(), request: { method: 'POST', url: 'Observation' } },
            { resource: obs({ hasMember: [ref(u(3))] }), request: { method: 'POST', url: 'Observation' } },
          ],
        }),
      );
      // Allowed: hasMember pointing at a member created by the same transaction for A.
      const ok = await send('post', '', tokA, {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: u(4), resource: obs(), request: { method: 'POST', url: 'Observation' } },
          { resource: obs({ hasMember: [ref(u(4))] }), request: { method: 'POST', url: 'Observation' } },
        ],
      });
      expect(ok.status).toBe(200);
      expectNoB(ok, [200]);
      const panel = (ok.body as fhir4.Bundle).entry![1]!.response!.location!;
      const stored = await h.deps.fhir.read(
        'Observation',
        panel.split('/')[panel.split('/').indexOf('Observation') + 1]!,
      );
      expect(stored.hasMember![0]!.reference).toMatch(/^Observation\//);
      expect(stored.subject!.reference).toBe(`Patient/${A.patient}`);
    });

    it('_include and other result parameters on a write are refused', async () => {
      refused(await send('post', 'Observation?_include=Observation:subject', tokA, obs()));
      refused(await send('post', 'Observation?_revinclude=Provenance:target', tokA, obs()));
      refused(
        await send('put', `Observation/${A.labObs}?_include=*`, tokA, {
          ...(await h.deps.fhir.read('Observation', A.labObs)),
        }),
      );
      refused(
        await send('post', '?_include=*', tokA, {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: obs(), request: { method: 'POST', url: 'Observation' } }],
        }),
      );
      refused(
        await send('post', '', tokA, {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: obs(), request: { method: 'POST', url: 'Observation?_include=Observation:subject' } }],
        }),
      );
    });

    it('a patient may update its contact details, not its identity (identifier, link, active, organisation)', async () => {
      const me = await h.deps.fhir.read('Patient', A.patient);
      const phone = await send('put', `Patient/${A.patient}`, tokA, {
        ...me,
        telecom: [{ system: 'phone', value: '555-0100' }],
      });
      expect(phone.status).toBe(200);
      const now = phone.body as fhir4.Patient;
      refused(
        await send('put', `Patient/${A.patient}`, tokA, {
          ...now,
          identifier: [...now.identifier!, { system: 'urn:wintehr:mrn', value: mrnB.split('|')[1] }],
        }),
        /Patient.identifier/,
      );
      refused(await send('put', `Patient/${A.patient}`, tokA, { ...now, active: false }), /Patient.active/);
      refused(
        await send(
          'patch',
          `Patient/${A.patient}`,
          tokA,
          [{ op: 'replace', path: '/identifier/0/value', value: mrnB.split('|')[1] }],
          'application/json-patch+json',
        ),
        /Patient.identifier/,
      );
      expect((await h.deps.fhir.read('Patient', A.patient)).identifier).toEqual(me.identifier);
    });

    it("user tokens: a stored Bundle or a Binary carrying another patient's data is not theirs to write", async () => {
      const doc = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'gate test')",
        [doc.user.id, A.patient],
      );
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: doc.user.id,
        username: doc.user.username,
        role: 'physician',
        scopes: ['user/Bundle.cruds', 'user/Binary.cruds'],
      });
      const collection = (pid: string) => ({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'Observation',
              status: 'final',
              code: { text: 'x' },
              subject: ref(`Patient/${pid}`),
            },
          },
        ],
      });
      refused(await send('post', 'Bundle', tok, collection(B.patient)));
      refused(
        await send('post', 'Binary', tok, {
          resourceType: 'Binary',
          contentType: 'text/plain',
          securityContext: ref(`Patient/${B.patient}`),
          data: 'eA==',
        }),
      );
      refused(
        await send('post', 'Binary', tok, { resourceType: 'Binary', contentType: 'text/plain', data: 'eA==' }),
        /securityContext/,
      );
      const mine = await send('post', 'Binary', tok, {
        resourceType: 'Binary',
        contentType: 'text/plain',
        securityContext: ref(`Patient/${A.patient}`),
        data: 'eA==',
      });
      expect(mine.status).toBe(201);
      // B's Binary, stored behind the gate's back, does not come out through it.
      const theirs = await h.deps.fhir.create<fhir4.Binary>({
        resourceType: 'Binary',
        contentType: 'text/plain',
        securityContext: ref(`Patient/${B.patient}`),
        data: 'eA==',
      });
      refused(await get(`Binary/${theirs.id}`, tok));
    });

    it("a user token is held to the user's patients the same way", async () => {
      const doc = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'gate test')",
        [doc.user.id, A.patient],
      );
      const tok = await mint({
        kind: 'user',
        clientId: 'g',
        userId: doc.user.id,
        username: doc.user.username,
        role: 'physician',
        fhirUser: `Practitioner/${doc.user.fhir_practitioner_id}`,
        scopes: ['user/Observation.cru', 'user/Patient.rs', 'user/Encounter.rs'],
      });
      refused(await send('post', 'Observation', tok, obs({ subject: ref(`Patient?identifier=${mrnB}`) })));
      refused(await send('post', 'Observation', tok, obs({ encounter: ref(`Encounter/${B.encounter}`) })));
      refused(
        await send('post', 'Observation', tok, obs({ hasMember: [ref(`Observation?identifier=${obsIdentifierB()}`)] })),
      );
      refused(
        await send(
          'post',
          'Observation',
          tok,
          obs({ extension: [{ url: 'urn:x', valueReference: ref(`Patient/${B.patient}`) }] }),
        ),
      );
      const c = await send(
        'post',
        'Observation',
        tok,
        obs({ subject: ref(`Patient?identifier=${mrnA}`), encounter: ref(`Encounter/${A.encounter}`) }),
      );
      expect(c.status).toBe(201);
      expect(c.body.subject.reference).toBe(`Patient/${A.patient}`);
    });
  });
});
