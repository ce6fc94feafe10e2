import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_REGISTRATION, outcomeText, registrationBody } from './registration';

test('the form becomes the register body; insurance only when given', () => {
  const base = {
    ...EMPTY_REGISTRATION,
    family: ' Smith ',
    given: 'Robert  Lee',
    birthDate: '1943-05-19',
    gender: 'male' as const,
  };
  assert.deepEqual(registrationBody(base), {
    name: { family: 'Smith', given: ['Robert', 'Lee'] },
    birthDate: '1943-05-19',
    gender: 'male',
  });
  assert.deepEqual(registrationBody({ ...base, payerId: '00621', memberId: ' PRA000000001 ' }).insurance, {
    payerId: '00621',
    memberId: 'PRA000000001',
  });
});

test('the eligibility outcome in the words of the front desk', () => {
  assert.equal(
    outcomeText({
      state: 'not-checked',
      code: 'CLEARINGHOUSE_UNAVAILABLE',
      message: 'not checked (clearinghouse unavailable)',
    }).text,
    'Eligibility not checked (clearinghouse unavailable).',
  );
  const checked = outcomeText({
    state: 'checked',
    coverageId: 'c1',
    result: {
      status: 'active',
      plan: 'Prairie PPO Gold',
      payer: { name: 'PRAIRIE BLUECROSS', id: '00621' },
      memberId: 'M',
      serviceDate: '2026-12-04',
      checkedAt: '2026-12-04T10:00:00Z',
      benefits: [],
      coverageId: 'c1',
      requestId: 'r',
      responseId: 's',
    },
  });
  assert.deepEqual(checked, {
    severity: 'success',
    text: 'Eligibility: active — Prairie PPO Gold (PRAIRIE BLUECROSS).',
  });
  assert.equal(outcomeText(undefined).severity, 'info');
});
