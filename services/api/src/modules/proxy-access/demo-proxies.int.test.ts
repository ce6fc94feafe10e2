import { usersRepository } from '../../core/auth/users.repository';
import { buildTestApp } from '../../test-support/app-harness';
import { proxyGrantsRepository } from './proxy-grants.repository';
import { grantState } from './proxy-tier';
import { DEMO_GUARDIAN_MRN, seedDemoProxies } from './demo-proxies';

/** The demo family against the real HAPI and PostgreSQL (the demo accounts are made here as demo-users.ts would). */
jest.setTimeout(60_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  h = await buildTestApp();
});
afterAll(() => h.close());

it('makes the family once and grants the guardian a child (full) and a teenager (limited), idempotently', async () => {
  // The first pass makes the charts; the guardian's account needs her chart (demo-users.ts finds it by MRN).
  await seedDemoProxies(h.deps);
  const [chart] = await h.deps.fhir.searchResources('Patient', { identifier: DEMO_GUARDIAN_MRN, _count: 1 });
  expect(chart?.name?.[0]?.given).toEqual(['Elena']);
  // She signs in with an emailed code: her chart must give an address, also when an older seed made it without one.
  const email = (p?: fhir4.Patient) => p?.telecom?.find((t) => t.system === 'email')?.value;
  expect(email(chart)).toMatch(/@/);
  await h.deps.fhir.update<fhir4.Patient>({ ...chart!, telecom: [] });
  await seedDemoProxies(h.deps);
  expect(email(await h.deps.fhir.read('Patient', chart!.id!))).toBe(email(chart));
  const accounts = [
    { username: 'parent.rivera', displayName: 'Elena Rivera', role: 'patient' as const, fhirPatientId: chart!.id },
    { username: 'dr.wilson', displayName: 'Dr. James Wilson', role: 'physician' as const },
  ];
  for (const a of accounts)
    if (!(await usersRepository.byUsername(h.deps.pg, a.username)))
      await usersRepository.insert(h.deps.pg, { ...a, passwordHash: 'not-a-login', isDemo: true });

  expect(await seedDemoProxies(h.deps)).toBe(true);
  expect(await seedDemoProxies(h.deps)).toBe(true);
  const guardian = (await usersRepository.byUsername(h.deps.pg, 'parent.rivera'))!;
  const grants = await proxyGrantsRepository.liveForProxy(h.deps.pg, guardian.id);
  const tiers = await Promise.all(
    grants.map(async (g) => {
      const p = await h.deps.fhir.read('Patient', g.subject_patient_id);
      const s = grantState(
        { birthDate: p.birthDate, grantedAt: g.granted_at, validUntil: g.valid_until, revokedAt: g.revoked_at },
        new Date(),
        'UTC',
      );
      return s.status === 'active' ? s.tier : s.status;
    }),
  );
  expect(tiers.sort()).toEqual(['full', 'limited']);
});
