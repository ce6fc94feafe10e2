import type { BenefitInput, Parsed270 } from '@wintehr/x12';

/**
 * The payers' member table: a few named scenario members, and a rule for the demo data's Coverage.subscriberId
 * values (three letters of the payer key + nine digits, scripts/seed/generate.ts), which are all active.
 * Deterministic: the same inquiry always gets the same answer.
 */
export interface Member {
  memberId: string;
  lastName?: string;
  firstName?: string;
  birthDate?: string;
  gender?: 'M' | 'F' | 'U';
  active: boolean;
  plan: string;
  insuranceType: string;
  planBegin: string;
  planEnd?: string;
  benefits: BenefitInput[];
  dependents?: { lastName: string; firstName: string; birthDate: string; gender: 'M' | 'F' }[];
}

/** Member ids that make the clearinghouse misbehave instead of answering. */
export const FAULT_MEMBERS = {
  'FAULT-TIMEOUT': 'timeout',
  'FAULT-5XX': 'http500',
  'FAULT-MALFORMED': 'malformed',
} as const;
export type FaultMode = (typeof FAULT_MEMBERS)[keyof typeof FAULT_MEMBERS];

/** The payer answers AAA 42 (unable to respond now) for this member id. */
export const PAYER_DOWN_MEMBER = 'ELIG-PAYERDOWN';

/** A PPO with everything the chart shows: deductibles (in/out of network, remaining), OOP max, copays, coinsurance. */
function ppoBenefits(plan: string, insuranceType: string): BenefitInput[] {
  return [
    {
      code: '1',
      coverageLevel: 'IND',
      serviceTypes: ['30', '1', '33', '35', '47', '86', '88', '98', 'AL', 'MH', 'UC'],
      insuranceType,
      planDescription: plan,
    },
    { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: 1500, inNetwork: true },
    { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '29', amount: 1100.5, inNetwork: true },
    { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: 3000, inNetwork: false },
    { code: 'G', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: 6000, inNetwork: true },
    {
      code: 'B',
      coverageLevel: 'IND',
      serviceTypes: ['98'],
      timePeriod: '27',
      amount: 25,
      inNetwork: true,
      messages: ['Copay applies per office visit'],
    },
    { code: 'B', coverageLevel: 'IND', serviceTypes: ['UC'], timePeriod: '27', amount: 75, inNetwork: true },
    {
      code: 'B',
      coverageLevel: 'IND',
      serviceTypes: ['86'],
      timePeriod: '27',
      amount: 250,
      inNetwork: true,
      messages: ['Waived if admitted'],
    },
    { code: 'A', coverageLevel: 'IND', serviceTypes: ['30'], percent: 20, inNetwork: true },
    { code: 'A', coverageLevel: 'IND', serviceTypes: ['30'], percent: 40, inNetwork: false },
    {
      code: 'B',
      coverageLevel: 'IND',
      serviceTypes: ['MH'],
      timePeriod: '27',
      amount: 30,
      inNetwork: true,
      authorizationRequired: true,
    },
  ];
}

const SCENARIOS: Member[] = [
  {
    memberId: 'ELIG-ACTIVE-1',
    lastName: 'SMITH',
    firstName: 'ROBERT',
    birthDate: '1943-05-19',
    gender: 'M',
    active: true,
    plan: 'Prairie PPO Gold',
    insuranceType: 'PR',
    planBegin: '2026-01-01',
    planEnd: '2026-12-31',
    benefits: ppoBenefits('Prairie PPO Gold', 'PR'),
  },
  {
    memberId: 'ELIG-INACTIVE-1',
    lastName: 'JONES',
    firstName: 'ALICE',
    birthDate: '1970-08-02',
    gender: 'F',
    active: false,
    plan: 'Lakeshore HMO Select',
    insuranceType: 'HM',
    planBegin: '2024-01-01',
    planEnd: '2025-06-30',
    benefits: [
      {
        code: '6',
        serviceTypes: ['30'],
        insuranceType: 'HM',
        planDescription: 'Lakeshore HMO Select',
        messages: ['Coverage terminated 2025-06-30'],
      },
    ],
  },
  {
    memberId: 'ELIG-FAMILY-1',
    lastName: 'GARCIA',
    firstName: 'LUIS',
    birthDate: '1980-11-11',
    gender: 'M',
    active: true,
    plan: 'Heartland Choice Family',
    insuranceType: 'C1',
    planBegin: '2026-01-01',
    benefits: ppoBenefits('Heartland Choice Family', 'C1').map((b) =>
      b.code === '1' ? { ...b, coverageLevel: 'FAM' } : b,
    ),
    dependents: [{ lastName: 'GARCIA', firstName: 'SOFIA', birthDate: '2015-02-03', gender: 'F' }],
  },
];

/**
 * Demo-data payers by the member-id prefix the seed uses (the payer key's first three letters). Medicare and
 * Medicaid share MED: the payer name in NM1*PR tells them apart.
 */
const SEEDED_PLANS: Record<string, { plan: string; insuranceType: string }> = {
  MED: { plan: 'Medicare Part B', insuranceType: 'MB' },
  MCD: { plan: 'Medicaid Managed Care', insuranceType: 'MC' },
  PRA: { plan: 'Prairie PPO Gold', insuranceType: 'PR' },
  LAK: { plan: 'Lakeshore HMO Select', insuranceType: 'HM' },
  HEA: { plan: 'Heartland Choice', insuranceType: 'C1' },
};

/**
 * The demo payers by their clearinghouse payer id (scripts/seed/catalog.ts PAYERS, demo values in the published
 * format): the inquiry's NM1*PR id routes to the payer, as a clearinghouse routes a 270.
 */
export const PAYER_ROUTES: Record<string, keyof typeof SEEDED_PLANS> = {
  '06102': 'MED',
  IL621: 'MCD',
  '00621': 'PRA',
  '60054': 'LAK',
  '87726': 'HEA',
};

export function findMember(memberId: string, year: number, payerName = '', payerId = ''): Member | undefined {
  const named = SCENARIOS.find((m) => m.memberId === memberId.toUpperCase());
  if (named) return named;
  const seeded = /^([A-Z]{3})\d{9}$/.exec(memberId.toUpperCase());
  // By payer id first; data loaded before payers had ids falls back to the member id's prefix and the payer name.
  const routed = PAYER_ROUTES[payerId.toUpperCase()];
  const prefix = seeded
    ? (routed ?? (seeded[1] === 'MED' && /medicaid/i.test(payerName) ? 'MCD' : seeded[1]))
    : undefined;
  const plan = prefix ? SEEDED_PLANS[prefix] : undefined;
  if (!plan) return undefined;
  return {
    memberId,
    active: true,
    plan: plan.plan,
    insuranceType: plan.insuranceType,
    planBegin: `${year}-01-01`,
    benefits: ppoBenefits(plan.plan, plan.insuranceType),
  };
}

export type Verdict =
  | { kind: 'fault'; mode: FaultMode }
  | { kind: 'payerDown' }
  | { kind: 'reject'; reasonCode: string; followUpCode: string }
  | { kind: 'rejectDependent'; member: Member; reasonCode: string; followUpCode: string }
  | { kind: 'answer'; member: Member; dependent?: NonNullable<Member['dependents']>[number] };

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? '').trim().toUpperCase() === (b ?? '').trim().toUpperCase();

/**
 * What the payer would say to this inquiry. Named members are matched on last name and birth date as payers do
 * (AAA 73 / 71); seeded members carry no demographics here and match on id alone.
 */
export function decide(q: Parsed270, today: Date): Verdict {
  const id = q.subscriber.memberId.toUpperCase();
  if (id in FAULT_MEMBERS) return { kind: 'fault', mode: FAULT_MEMBERS[id as keyof typeof FAULT_MEMBERS] };
  if (id === PAYER_DOWN_MEMBER) return { kind: 'payerDown' };
  const member = findMember(id, today.getUTCFullYear(), q.payer.name, q.payer.id);
  if (!member) return { kind: 'reject', reasonCode: '75', followUpCode: 'N' };
  if (member.lastName && !same(member.lastName, q.subscriber.lastName))
    return { kind: 'reject', reasonCode: '73', followUpCode: 'C' };
  if (member.birthDate && q.subscriber.birthDate && member.birthDate !== q.subscriber.birthDate)
    return { kind: 'reject', reasonCode: '71', followUpCode: 'C' };
  if (q.dependent) {
    const dep = member.dependents?.find(
      (d) => same(d.lastName, q.dependent!.lastName) && same(d.firstName, q.dependent!.firstName),
    );
    if (!dep) return { kind: 'rejectDependent', member, reasonCode: '77', followUpCode: 'C' };
    if (q.dependent.birthDate && dep.birthDate !== q.dependent.birthDate)
      return { kind: 'rejectDependent', member, reasonCode: '71', followUpCode: 'C' };
    return { kind: 'answer', member, dependent: dep };
  }
  return { kind: 'answer', member };
}
