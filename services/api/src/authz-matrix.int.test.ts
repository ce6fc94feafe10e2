import request from 'supertest';
import { hasPermission, ROLES, type Permission, type Role } from './core/auth/permissions';
import { registeredRoutes, type RouteContract } from './core/http/route';
import { buildTestApp } from './test-support/app-harness';
import { createTestPatient, createTestUser, type TestUser } from './test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * The expected role × permission matrix written out by hand from seed 004 §6.4/§7.3 (plus audit:view and
 * user:manage for admins), so a change to permissions.ts that breaks the policy fails here.
 */
const Y = true;
const N = false;
const EXPECTED: Record<string, Record<Role, boolean>> = {
  //                          physician nurse pharmacist lab_technician radiologist admin patient
  'patient:read':           { physician: Y, nurse: Y, pharmacist: Y, lab_technician: Y, radiologist: Y, admin: Y, patient: Y },
  'patient:write':          { physician: Y, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'patient:delete':         { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'medication:prescribe':   { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'medication:administer':  { physician: N, nurse: Y, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'medication:dispense':    { physician: N, nurse: N, pharmacist: Y, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'medication:view':        { physician: Y, nurse: Y, pharmacist: Y, lab_technician: N, radiologist: N, admin: Y, patient: Y },
  'order:place':            { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'order:cancel':           { physician: Y, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'order:view':             { physician: Y, nurse: Y, pharmacist: N, lab_technician: Y, radiologist: Y, admin: Y, patient: N },
  'results:view':           { physician: Y, nurse: Y, pharmacist: Y, lab_technician: Y, radiologist: Y, admin: Y, patient: Y },
  'results:create':         { physician: N, nurse: N, pharmacist: N, lab_technician: Y, radiologist: Y, admin: Y, patient: N },
  'user:manage':            { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'audit:view':             { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'system:config':          { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
  'break-glass:review':     { physician: N, nurse: N, pharmacist: N, lab_technician: N, radiologist: N, admin: Y, patient: N },
};

describe('role × permission policy', () => {
  it.each(Object.entries(EXPECTED))('%s', (permission, byRole) => {
    for (const role of ROLES) expect({ role, allowed: hasPermission(role, permission as Permission) }).toEqual({ role, allowed: byRole[role] });
  });
});

/** Fills path parameters with well-formed ids that exist nowhere, so allowed calls end in 400/404, never a write. */
function concretePath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (/^(id|userId)$/.test(name) ? '00000000-0000-4000-8000-000000000000' : `matrix-${name}-missing`));
}

describe('role × endpoint matrix over every mounted business route', () => {
  let h: Harness;
  const users = {} as Record<Role, TestUser>;
  beforeAll(async () => {
    h = await buildTestApp();
    const patientId = await createTestPatient(h.deps, 'Matrixpatient');
    for (const role of ROLES) users[role] = await createTestUser(h.deps, { role, ...(role === 'patient' ? { patientId } : {}) });
  });
  afterAll(() => h.close());

  const call = (r: RouteContract, auth?: { Authorization: string }) => {
    const req = request(h.app)[r.method](concretePath(r.path));
    return auth ? req.set(auth) : req;
  };

  it('covers the identity, audit and access routes at least', () => {
    const paths = registeredRoutes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['get /api/users', 'post /api/users', 'get /api/audit', 'get /api/audit/verify',
      'post /api/patients/:patientId/break-glass', 'get /api/break-glass', 'post /api/users/:id/epcs-approvals']));
  });

  it('refuses every non-public route without a token (401), and every route to roles without its permission (403)', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const r of registeredRoutes) {
      const key = `${r.method} ${r.path}`;
      if (r.auth === 'public' || seen.has(key)) continue;
      seen.add(key);
      const anon = await call(r);
      if (anon.status !== 401) failures.push(`${key} anonymous → ${anon.status}`);
      for (const role of ROLES) {
        const res = await call(r, users[role].auth);
        const deniedByPermission = res.status === 403 && res.body?.error?.details?.permission === r.auth;
        const expectedAllowed = r.auth === 'authenticated' || hasPermission(role, r.auth);
        if (expectedAllowed === deniedByPermission) failures.push(`${key} as ${role} → ${res.status} ${res.body?.error?.code ?? ''}`);
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
      "SELECT details, role FROM audit_log WHERE action = 'access.forbidden' AND user_id = $1 ORDER BY id DESC LIMIT 1", [users.nurse.user.id]);
    expect(rows[0]).toMatchObject({ role: 'nurse', details: { route: '/api/audit', permission: 'audit:view', method: 'GET' } });
  });
});
