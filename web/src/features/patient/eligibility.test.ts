import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EligibilityResult } from '@wintehr/contracts';
import { ApiError } from '../../core/api/api-error';
import { benefitLines, headline, rejectionsOf } from './eligibility';

const result: EligibilityResult = {
  status: 'active',
  plan: 'Prairie PPO Gold',
  payer: { name: 'Prairie BlueCross', id: '60054' },
  memberId: 'M1',
  serviceDate: '2026-12-04',
  checkedAt: '2026-12-04T09:00:00Z',
  coverageId: 'c1',
  requestId: 'q1',
  responseId: 's1',
  benefits: [
    {
      code: '1',
      description: 'Active Coverage',
      serviceTypes: [{ code: '30', description: 'Health Benefit Plan Coverage' }],
      messages: [],
    },
    {
      code: 'C',
      description: 'Deductible',
      serviceTypes: [{ code: '30', description: 'Health Benefit Plan Coverage' }],
      timePeriod: { code: '23', description: 'Calendar Year' },
      coverageLevel: { code: 'IND', description: 'Individual' },
      amount: 1500,
      inNetwork: true,
      messages: [],
    },
    {
      code: 'C',
      description: 'Deductible',
      serviceTypes: [],
      timePeriod: { code: '29', description: 'Remaining' },
      amount: 1100.5,
      inNetwork: true,
      messages: [],
    },
    {
      code: 'B',
      description: 'Co-Payment',
      serviceTypes: [{ code: 'MH', description: 'Mental Health' }],
      amount: 30,
      authorizationRequired: true,
      messages: ['Per visit'],
    },
    { code: 'A', description: 'Co-Insurance', serviceTypes: [], percent: 40, inNetwork: false, messages: [] },
  ],
};

test('money and percent benefits become readable lines; plain coverage lines are left out', () => {
  assert.deepEqual(benefitLines(result.benefits), [
    {
      label: 'Deductible — Health Benefit Plan Coverage',
      value: '$1,500',
      detail: 'in network · per calendar year · individual',
    },
    { label: 'Deductible remaining', value: '$1,100.50', detail: 'in network' },
    { label: 'Co-Payment — Mental Health', value: '$30', detail: 'prior authorization required · Per visit' },
    { label: 'Co-Insurance', value: '40%', detail: 'out of network' },
  ]);
});

test('the headline says active, inactive or unknown', () => {
  assert.deepEqual(headline(result), {
    text: 'Active coverage: Prairie PPO Gold (Prairie BlueCross)',
    severity: 'success',
  });
  assert.equal(headline({ ...result, status: 'inactive' }).severity, 'warning');
  assert.equal(
    headline({ ...result, status: 'unknown' }).text,
    'Prairie BlueCross did not state whether the coverage is active',
  );
});

test("a payer rejection shows the payer's reasons; other errors show none", () => {
  const rejected = new ApiError(422, {
    error: {
      code: 'ELIGIBILITY_REJECTED',
      message: 'x',
      details: {
        responseId: 's',
        rejections: [{ loop: 'subscriber', reasonCode: '75', followUpCode: 'N', message: 'Subscriber not found.' }],
      },
    },
  });
  assert.deepEqual(rejectionsOf(rejected), ['Subscriber not found.']);
  assert.deepEqual(rejectionsOf(new ApiError(504, { error: { code: 'CLEARINGHOUSE_TIMEOUT', message: 'slow' } })), []);
  assert.deepEqual(rejectionsOf(new Error('x')), []);
});
