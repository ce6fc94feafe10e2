import { build271, read271 } from '@wintehr/x12';
import { EligibilityResult } from '@wintehr/contracts';
import { answersOurInquiry, rejectionError, toResult } from './answer';
import { eligibilityResponse } from './fhir-records';

const at = new Date(Date.UTC(2026, 11, 4));
const base = {
  interchange: { senderId: 'CH', receiverId: 'W', controlNumber: 1 },
  at,
  referenceId: 'TR1',
  payer: { name: 'ACME', id: '60054' },
  provider: { name: 'C', npi: '1234567893' },
};
const ctx = {
  coverageId: 'c1',
  requestId: 'q1',
  responseId: 's1',
  memberId: 'M1',
  serviceDate: '2026-12-04',
  checkedAt: at.toISOString(),
};

const active = read271(
  build271({
    ...base,
    subscriber: {
      lastName: 'DOE',
      memberId: 'M1',
      trace: { number: 'TR1', assigner: '9WINTEHR01' },
      planBegin: '2026-01-01',
      planEnd: '2026-12-31',
      benefits: [
        { code: '1', serviceTypes: ['30'], planDescription: 'GOLD PPO', insuranceType: 'PR' },
        { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: 1500, inNetwork: true },
        { code: 'B', serviceTypes: ['98'], amount: 25, inNetwork: true, messages: ['PER VISIT'] },
        { code: 'A', serviceTypes: ['30'], percent: 20, inNetwork: false },
      ],
    },
  }),
);

describe('271 → business answer', () => {
  it('summarises an active plan with its benefits, valid against the response contract', () => {
    const r = toResult(active, ctx);
    expect(EligibilityResult.safeParse(r).success).toBe(true);
    expect(r).toMatchObject({
      status: 'active',
      plan: 'GOLD PPO',
      payer: { id: '60054' },
      planPeriod: { start: '2026-01-01', end: '2026-12-31' },
    });
    expect(r.benefits.map((b) => [b.code, b.amount ?? b.percent, b.inNetwork])).toEqual([
      ['1', undefined, undefined],
      ['C', 1500, true],
      ['B', 25, true],
      ['A', 20, false],
    ]);
    expect(r.benefits[2]!.messages).toEqual(['PER VISIT']);
  });

  it('says inactive and unknown when the payer does', () => {
    const inactive = read271(build271({ ...base, subscriber: { lastName: 'DOE', benefits: [{ code: '6' }] } }));
    expect(toResult(inactive, ctx).status).toBe('inactive');
    const silent = read271(build271({ ...base, subscriber: { lastName: 'DOE' } }));
    expect(toResult(silent, ctx).status).toBe('unknown');
  });

  it('turns AAA rejections into one 422 with every message and the response id', () => {
    const r = read271(
      build271({ ...base, subscriber: { lastName: 'DOE', rejection: { reasonCode: '75', followUpCode: 'N' } } }),
    );
    const e = rejectionError(r.rejections, 's9');
    expect(e.status).toBe(422);
    expect(e.code).toBe('ELIGIBILITY_REJECTED');
    expect(e.message).toBe(
      'The payer could not confirm eligibility: The payer has no subscriber with this member id (subscriber not found). Resubmission is not allowed.',
    );
    expect(e.details).toEqual({
      responseId: 's9',
      rejections: [
        { loop: 'subscriber', reasonCode: '75', followUpCode: 'N', message: expect.stringMatching(/not found/) },
      ],
    });
  });

  it('accepts only an answer that echoes our trace number', () => {
    expect(answersOurInquiry(active, 'TR1')).toBe(true);
    expect(answersOurInquiry(active, 'OTHER')).toBe(false);
    const payerDown = read271(build271({ ...base, payerRejection: { reasonCode: '42', followUpCode: 'R' } }));
    expect(answersOurInquiry(payerDown, 'TR1')).toBe(true);
  });
});

describe('CoverageEligibilityResponse', () => {
  const common = {
    patientId: 'p1',
    coverageId: 'c1',
    payerId: 'o1',
    requestId: 'q1',
    created: at.toISOString(),
    serviceDate: '2026-12-04',
    binaryId: 'b1',
  };

  it('records benefits as items with category, network, unit, term and money', () => {
    const r = eligibilityResponse({ ...common, answer: active });
    expect(r).toMatchObject({
      outcome: 'complete',
      request: { reference: 'CoverageEligibilityRequest/q1' },
      disposition: 'Active coverage: GOLD PPO',
      extension: [{ valueReference: { reference: 'Binary/b1' } }],
    });
    const items = r.insurance![0]!.item!;
    expect(r.insurance![0]!.inforce).toBe(true);
    expect(items[1]).toMatchObject({
      category: { coding: [{ code: '30' }] },
      network: { coding: [{ code: 'in' }] },
      unit: { coding: [{ code: 'individual' }] },
      term: { coding: [{ code: 'annual' }] },
      benefit: [{ allowedMoney: { value: 1500, currency: 'USD' } }],
    });
    expect(items[3]!.benefit).toEqual([expect.objectContaining({ allowedString: '20%' })]);
    expect(items.every((i) => i.category)).toBe(true);
  });

  it('records rejections as errors with outcome error', () => {
    const rej = read271(
      build271({ ...base, subscriber: { lastName: 'DOE', rejection: { reasonCode: '73', followUpCode: 'C' } } }),
    );
    const r = eligibilityResponse({ ...common, answer: rej });
    expect(r.outcome).toBe('error');
    expect(r.insurance).toBeUndefined();
    expect(r.error).toEqual([
      {
        code: { coding: [expect.objectContaining({ code: '73' })], text: expect.stringMatching(/name does not match/) },
      },
    ]);
  });
});
