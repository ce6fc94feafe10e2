import { usersRepository } from '../../core/auth/users.repository';
import type { AppDeps } from '../../core/deps';
import { proxyGrantsRepository } from './proxy-grants.repository';
import { proxyRelatedPerson } from './related-person';

const RETRY_MS = 30_000;
const DEMO_SYSTEM = 'urn:wintehr:demo';

/** The demo family: the guardian's own chart (account `parent.rivera`, see demo-users.ts) and two children. */
export const DEMO_GUARDIAN_MRN = 'MRN-PROXY-01';
const FAMILY = [
  // The guardian signs in to the portal with a password and an emailed code: her chart needs an address for it.
  {
    key: 'proxy-guardian',
    mrn: DEMO_GUARDIAN_MRN,
    given: 'Elena',
    gender: 'female' as const,
    age: 41,
    email: 'elena.rivera@example.com',
  },
  { key: 'proxy-child', mrn: 'MRN-PROXY-02', given: 'Mateo', gender: 'male' as const, age: 8 },
  { key: 'proxy-teen', mrn: 'MRN-PROXY-03', given: 'Lucia', gender: 'female' as const, age: 15 },
];

function birthDate(age: number, now: Date): string {
  // Half a year past the birthday, so the demo child stays in its tier for months whenever the demo starts.
  const d = new Date(Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth() - 6, 15));
  return d.toISOString().slice(0, 10);
}

async function ensurePatient(deps: AppDeps, m: (typeof FAMILY)[number], now: Date): Promise<string> {
  const email: fhir4.ContactPoint[] = 'email' in m ? [{ system: 'email', value: m.email, use: 'home' }] : [];
  const p = await deps.fhir.create<fhir4.Patient>(
    {
      resourceType: 'Patient',
      identifier: [
        { system: DEMO_SYSTEM, value: m.key },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: m.mrn },
      ],
      active: true,
      name: [{ use: 'official', family: 'Rivera', given: [m.given] }],
      gender: m.gender,
      birthDate: birthDate(m.age, now),
      ...(email.length ? { telecom: email } : {}),
    },
    { ifNoneExist: `identifier=${DEMO_SYSTEM}|${m.key}` },
  );
  // A chart seeded by an earlier version had no address, so its owner could never receive a sign-in code.
  if (email.length && !p.telecom?.some((t) => t.system === 'email'))
    await deps.fhir.update<fhir4.Patient>({ ...p, telecom: [...(p.telecom ?? []), ...email] });
  return p.id!;
}

/** One pass: the family's charts, then (once the guardian's account exists) her grants. True when all is in place. */
export async function seedDemoProxies(deps: AppDeps): Promise<boolean> {
  const now = new Date();
  const [, childId, teenId] = await Promise.all(FAMILY.map((m) => ensurePatient(deps, m, now)));
  const guardian = await usersRepository.byUsername(deps.pg, 'parent.rivera');
  const staff = await usersRepository.byUsername(deps.pg, 'dr.wilson');
  if (!guardian || !staff) return false;
  for (const subject of [childId!, teenId!]) {
    const live = await proxyGrantsRepository.latest(deps.pg, guardian.id, subject);
    if (live) continue;
    const rp = await deps.fhir.create(
      proxyRelatedPerson({
        subjectPatientId: subject,
        proxyName: guardian.display_name,
        relationship: 'parent',
        start: now,
        end: null,
      }),
    );
    await proxyGrantsRepository.insert(deps.pg, {
      proxyUserId: guardian.id,
      subjectPatientId: subject,
      relationship: 'parent',
      relatedPersonId: rp.id ?? null,
      grantedBy: staff.id,
      validUntil: null,
    });
  }
  deps.logger.info('demo proxy grants in place');
  return true;
}

/** In demo mode: a guardian with a child under 12 and a teenager, granted at start (the accounts may come later). */
export function startDemoProxies(deps: AppDeps): void {
  if (!deps.config.demoMode || process.env.NODE_ENV === 'test') return;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const attempt = async () => {
    try {
      if (await seedDemoProxies(deps)) return;
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'demo proxy grants not made yet; retrying');
    }
    if (!closed) timer = setTimeout(() => void attempt(), RETRY_MS).unref();
  };
  timer = setTimeout(() => void attempt(), 3_000).unref();
  deps.onClose(async () => {
    closed = true;
    clearTimeout(timer);
  });
}
