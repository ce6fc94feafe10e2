import request from 'supertest';
import { hasPermission, PERMISSIONS, ROLES, type Permission, type Role } from '@wintehr/contracts';
import { appRoutes, type RouteContract } from './core/http/route';
import { buildTestApp } from './test-support/app-harness';
import { createTestPatient, createTestUser, type TestUser } from './test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * The expected role × permission matrix written out by hand from seed 004 §6.4/§7.3 (plus audit:view,
 * user:manage and break-glass:review for admins), so a change to permissions.ts that breaks the policy fails
 * here. Deliberate departure from the seed: admin is not a clinical role (least privilege, issue #12). It
 * administers users, audit, break-glass review and SMART clients, registers patients, and may read a chart
 * only through a break-the-glass grant; it never prescribes, orders, writes notes or files results.
 */
const Y = true;
const N = false;
const EXPECTED: Record<string, Record<Role, boolean>> = {
  //                          physician nurse pharmacist lab_technician radiologist admin patient
  'patient:read': { physician: Y, nurse: Y, pharmacist: Y, lab_technician: Y, radiologist: Y, admin: Y, patient: Y },
  'patient:write': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: N },
  'patient:register': {
    physician: Y,
    nurse: Y,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: Y,
    patient: N,
  },
  'patient:delete': { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: N },
  'medication:view': { physician: Y, nurse: Y, pharmacist: Y, lab_technician: N, radiologist: N, admin: Y, patient: Y },
  'medication:prescribe': {
    physician: Y,
    nurse: N,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'medication:discontinue': {
    physician: Y,
    nurse: N,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'medication:administer': {
    physician: N,
    nurse: Y,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'medication:dispense': {
    physician: N,
    nurse: N,
    pharmacist: Y,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'medication:verify': {
    physician: N,
    nurse: N,
    pharmacist: Y,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'medication:counsel': {
    physician: N,
    nurse: N,
    pharmacist: Y,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'order:view': { physician: Y, nurse: Y, pharmacist: N, lab_technician: Y, radiologist: Y, admin: Y, patient: N },
  'order:place': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: N },
  'order:cancel': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: N },
  'results:view': { physician: Y, nurse: Y, pharmacist: Y, lab_technician: Y, radiologist: Y, admin: Y, patient: Y },
  'results:create': { physician: N, nurse: N, pharmacist: N, lab_technician: Y, radiologist: Y, admin: N, patient: N },
  'results:acknowledge': {
    physician: Y,
    nurse: N,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: N,
    patient: N,
  },
  'imaging:view': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: Y, admin: Y, patient: N },
  'imaging:upload': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: Y, admin: N, patient: N },
  'imaging:report': { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: Y, admin: N, patient: N },
  'imaging:share': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: Y, admin: N, patient: N },
  'document:read': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: Y, admin: Y, patient: Y },
  'document:write': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: Y, admin: N, patient: N },
  'document:sign': { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: Y, admin: N, patient: N },
  'vitals:record': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: N },
  'cds:feedback': { physician: Y, nurse: Y, pharmacist: Y, lab_technician: N, radiologist: N, admin: N, patient: N },
  'smart:launch': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: N, patient: Y },
  'user:manage': { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'audit:view': { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'system:config': { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'break-glass:review': {
    physician: N,
    nurse: N,
    pharmacist: N,
    lab_technician: N,
    radiologist: N,
    admin: Y,
    patient: N,
  },
  // Inviting a patient to the portal (modules/portal-accounts): the care team and the front office, never a patient.
  'portal:invite': { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
};

describe('role × permission policy', () => {
  it('states every permission explicitly (a new permission must be placed in this table)', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });
  it.each(Object.entries(EXPECTED))('%s', (permission, byRole) => {
    for (const role of ROLES)
      expect({ role, allowed: hasPermission(role, permission as Permission) }).toEqual({ role, allowed: byRole[role] });
  });
});

/** Fills path parameters with well-formed ids that exist nowhere, so allowed calls end in 400/404, never a write. */
function concretePath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
    /^(id|userId)$/.test(name) ? '00000000-0000-4000-8000-000000000000' : `matrix-${name}-missing`,
  );
}

describe('role × endpoint matrix over every mounted business route', () => {
  let h: Harness;
  const users = {} as Record<Role, TestUser>;
  beforeAll(async () => {
    h = await buildTestApp();
    const patientId = await createTestPatient(h.deps, 'Matrixpatient');
    for (const role of ROLES)
      users[role] = await createTestUser(h.deps, { role, ...(role === 'patient' ? { patientId } : {}) });
  });
  afterAll(() => h.close());

  const call = (r: RouteContract, auth?: { Authorization: string }) => {
    const req = request(h.app)[r.method](concretePath(r.path));
    return auth ? req.set(auth) : req;
  };

  it('covers the identity, audit and access routes at least', () => {
    const paths = appRoutes(h.app).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'get /api/users',
        'post /api/users',
        'get /api/audit',
        'get /api/audit/verify',
        'post /api/patients/:patientId/break-glass',
        'get /api/break-glass',
        'post /api/users/:id/epcs-approvals',
      ]),
    );
  });

  it('refuses every non-public route without a token (401), and every route to roles without its permission (403)', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const r of appRoutes(h.app)) {
      const key = `${r.method} ${r.path}`;
      if (r.auth === 'public' || seen.has(key)) continue;
      seen.add(key);
      const anon = await call(r);
      if (anon.status !== 401) failures.push(`${key} anonymous → ${anon.status}`);
      for (const role of ROLES) {
        const res = await call(r, users[role].auth);
        const deniedByPermission = res.status === 403 && res.body?.error?.details?.permission === r.auth;
        const expectedAllowed = r.auth === 'authenticated' || hasPermission(role, r.auth);
        if (expectedAllowed === deniedByPermission)
          failures.push(`${key} as ${role} → ${res.status} ${res.body?.error?.code ?? ''}`);
        if (res.status >= 500) failures.push(`${key} as ${role} → ${res.status} (server error)`);
      }
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });

  it('audits permission denials with the route pattern and the missing permission', async () => {
    await request(h.app).get('/api/audit').set(users.nurse.auth).expect(403);
    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query<{ details: Record<string, unknown>; role: string }>(
      "SELECT details, role FROM audit_log WHERE action = 'access.forbidden' AND user_id = $1 ORDER BY id DESC LIMIT 1",
      [users.nurse.user.id],
    );
    expect(rows[0]).toMatchObject({
      role: 'nurse',
      details: { route: '/api/audit', permission: 'audit:view', method: 'GET' },
    });
  });
});

describe('admin is not a clinical role: no clinical writes, charts only through break the glass', () => {
  let h: Harness;
  let admin: TestUser;
  let patientId: string;
  beforeAll(async () => {
    h = await buildTestApp();
    patientId = await createTestPatient(h.deps, 'Adminglasspatient');
    admin = await createTestUser(h.deps, { role: 'admin' });
  });
  afterAll(() => h.close());

  /** Clinical writes, each refused by the route's permission before anything is read or validated. */
  const writes = () => [
    {
      path: `/api/patients/${patientId}/medications`,
      permission: 'medication:prescribe',
      body: { medication: { code: '314076' } },
    },
    { path: `/api/patients/${patientId}/orders`, permission: 'order:place', body: { type: 'lab', code: '2823-3' } },
    { path: `/api/patients/${patientId}/notes`, permission: 'document:write', body: { template: 'progress-soap' } },
    { path: `/api/patients/${patientId}/vitals`, permission: 'vitals:record', body: {} },
    { path: `/api/patients/${patientId}/problems`, permission: 'patient:write', body: {} },
    { path: '/api/results', permission: 'results:create', body: {} },
  ];
  const chartReads = () => [
    `/api/patients/${patientId}`,
    `/api/patients/${patientId}/summary`,
    `/api/patients/${patientId}/notes`,
    `/api/patients/${patientId}/medications`,
    `/api/patients/${patientId}/problems`,
    `/api/patients/${patientId}/results`,
  ];

  it('refuses prescribing, ordering, notes, vitals, problems and results with 403 naming the permission', async () => {
    for (const w of writes()) {
      const res = await request(h.app).post(w.path).set(admin.auth).send(w.body);
      expect({ path: w.path, status: res.status, permission: res.body.error?.details?.permission }).toEqual({
        path: w.path,
        status: 403,
        permission: w.permission,
      });
    }
  });

  /** What patient search tells the admin about this patient: a relationship, or the way to break the glass. */
  const searchHint = async () => {
    const mrn = (await h.deps.fhir.read('Patient', patientId)).identifier!.find(
      (i) => i.system === 'urn:wintehr:mrn',
    )!.value!;
    const res = await request(h.app).get('/api/patients').query({ mrn }).set(admin.auth).expect(200);
    return res.body.results.find((r: { id: string }) => r.id === patientId)?.access;
  };

  it('cannot open a chart without a grant (403 with the break-glass link, audited as denied)', async () => {
    expect(await searchHint()).toEqual({ related: false, breakGlass: `/api/patients/${patientId}/break-glass` });
    for (const path of chartReads()) {
      const res = await request(h.app).get(path).set(admin.auth);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        status: 403,
        code: 'PATIENT_ACCESS_DENIED',
      });
      expect(res.body.error.details.breakGlass).toBe(`/api/patients/${patientId}/break-glass`);
    }
    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query<{ n: string }>(
      "SELECT count(*) AS n FROM audit_log WHERE user_id = $1 AND patient_id = $2 AND outcome = 'denied'",
      [admin.user.id, patientId],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(chartReads().length);
  });

  it('reads the chart after breaking the glass (purpose ETREAT, reviewed by another admin), still without clinical writes', async () => {
    const grant = await request(h.app)
      .post(`/api/patients/${patientId}/break-glass`)
      .set(admin.auth)
      .send({ reason: 'Records request from the coroner, on-call clinician unreachable', minutes: 5 })
      .expect(201);
    for (const path of chartReads()) {
      const res = await request(h.app).get(path).set(admin.auth);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    for (const w of writes()) expect((await request(h.app).post(w.path).set(admin.auth).send(w.body)).status).toBe(403);
    expect(await searchHint()).toEqual({ related: true, basis: 'break-glass' });

    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query<{ action: string; purpose_of_use: string | null }>(
      "SELECT action, purpose_of_use FROM audit_log WHERE user_id = $1 AND patient_id = $2 AND outcome = 'success' ORDER BY id",
      [admin.user.id, patientId],
    );
    expect(rows[0]).toEqual({ action: 'break-glass.open', purpose_of_use: 'ETREAT' });
    expect(rows.slice(1).length).toBeGreaterThanOrEqual(chartReads().length);
    expect(rows.every((r) => r.purpose_of_use === 'ETREAT')).toBe(true);

    // Nobody reviews their own emergency access, admins included.
    await request(h.app)
      .post(`/api/break-glass/${grant.body.id}/review`)
      .set(admin.auth)
      .send({ outcome: 'appropriate', note: 'mine' })
      .expect(403);
    const reviewer = await createTestUser(h.deps, { role: 'admin' });
    await request(h.app)
      .post(`/api/break-glass/${grant.body.id}/review`)
      .set(reviewer.auth)
      .send({ outcome: 'appropriate', note: 'Coroner request on file' })
      .expect(200);

    // Time-boxed like anyone's: once expired, the chart is closed again.
    await h.deps.pg.query("UPDATE break_glass_grants SET expires_at = now() - interval '1 second' WHERE id = $1", [
      grant.body.id,
    ]);
    await request(h.app).get(`/api/patients/${patientId}/summary`).set(admin.auth).expect(403);
  });

  it('keeps what administration needs: users, audit trail, break-glass queue, patient registration', async () => {
    await request(h.app).get('/api/users').set(admin.auth).expect(200);
    await request(h.app).get(`/api/audit?patient=${patientId}&limit=5`).set(admin.auth).expect(200);
    await request(h.app).get('/api/break-glass?status=all&limit=5').set(admin.auth).expect(200);
    const reg = await request(h.app)
      .post('/api/patients')
      .set(admin.auth)
      .send({ name: { family: 'Adminregistered', given: ['Test'] }, birthDate: '1970-01-01', gender: 'female' })
      .expect(201);
    // Registering a patient gives an admin no relationship with the chart.
    await request(h.app).get(`/api/patients/${reg.body.id}/summary`).set(admin.auth).expect(403);
  });
});
