import { eligibilityResponse } from './fhir-records';
import { highlights, latestByCoverage, portalCoverageItem } from './portal-view';

const coverage: fhir4.Coverage = {
  resourceType: 'Coverage',
  id: 'c1',
  status: 'active',
  subscriberId: 'PRA000000001',
  beneficiary: { reference: 'Patient/p1' },
  payor: [{ reference: 'Organization/o1' }],
  class: [{ type: { coding: [{ code: 'plan' }] }, value: 'PLN', name: 'Prairie PPO Gold' }],
};
const payer: fhir4.Organization = { resourceType: 'Organization', id: 'o1', name: 'Prairie BlueCross Health Plan' };
const answered = (active: boolean) =>
  eligibilityResponse({
    patientId: 'p1',
    coverageId: 'c1',
    payerId: 'o1',
    requestId: 'r1',
    created: '2026-12-04T10:00:00Z',
    serviceDate: '2026-12-04',
    binaryId: 'b1',
    answer: {
      active,
      payer: { name: 'PRAIRIE', id: '00621' },
      rejections: [],
      subscriber: {
        traces: [],
        dates: [],
        benefits: [
          {
            code: 'B',
            description: 'Co-Payment',
            serviceTypes: [{ code: '98', description: 'Office' }],
            amount: 25,
            inNetwork: true,
            timePeriod: { code: '27', description: 'Visit' },
            messages: [],
          },
          {
            code: 'C',
            description: 'Deductible',
            serviceTypes: [{ code: '30', description: 'Plan' }],
            amount: 1500,
            inNetwork: true,
            timePeriod: { code: '23', description: 'Calendar Year' },
            messages: [],
          },
          {
            code: 'C',
            description: 'Deductible',
            serviceTypes: [{ code: '30', description: 'Plan' }],
            amount: 3000,
            inNetwork: false,
            timePeriod: { code: '23', description: 'Calendar Year' },
            messages: [],
          },
        ],
      },
    } as never,
  });

describe('portal coverage view', () => {
  it('an active answer in plain words, in-network amounts only', () => {
    const item = portalCoverageItem(coverage, payer, { ...answered(true), id: 's1' });
    expect(item).toMatchObject({
      payerName: 'Prairie BlueCross Health Plan',
      plan: 'Prairie PPO Gold',
      memberId: 'PRA000000001',
      eligibility: 'active',
      lastChecked: '2026-12-04T10:00:00Z',
    });
    expect(item.summary).toBe('Prairie BlueCross Health Plan confirmed your coverage is active on December 4, 2026.');
    expect(item.highlights).toEqual(['Office visit copay: $25', 'Yearly deductible: $1,500']);
  });

  it('inactive, failed and never-checked coverage say so without amounts', () => {
    expect(portalCoverageItem(coverage, payer, answered(false))).toMatchObject({
      eligibility: 'inactive',
      highlights: [],
    });
    const failed: fhir4.CoverageEligibilityResponse = { ...answered(true), outcome: 'error', insurance: undefined };
    expect(portalCoverageItem(coverage, payer, failed).summary).toMatch(/could not confirm/);
    expect(portalCoverageItem(coverage, undefined, undefined)).toMatchObject({
      payerName: 'Your insurer',
      eligibility: 'never-checked',
    });
    expect(highlights(undefined)).toEqual([]);
  });

  it('the latest answer per coverage, found through the request when the response names none', () => {
    const older = { ...answered(true), id: 'old', created: '2026-12-01T10:00:00Z' };
    const newer = { ...answered(false), id: 'new', created: '2026-12-04T11:00:00Z', insurance: undefined };
    const req: fhir4.CoverageEligibilityRequest = {
      resourceType: 'CoverageEligibilityRequest',
      id: 'r1',
      status: 'active',
      purpose: ['validation'],
      patient: { reference: 'Patient/p1' },
      created: '2026-12-04',
      insurer: { reference: 'Organization/o1' },
      insurance: [{ coverage: { reference: 'Coverage/c1' } }],
    };
    expect(latestByCoverage([older, newer], new Map([['r1', req]])).get('c1')?.id).toBe('new');
  });
});
