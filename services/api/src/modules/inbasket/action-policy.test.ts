import { InbasketActionBody } from '@wintehr/contracts';
import { allowedActions, checkAction, isAddressedTo } from './action-policy';
import { POOL_SYSTEM } from './kinds';

describe('in-basket action policy', () => {
  test('a physician may approve or deny a renewal; a nurse may neither (403)', () => {
    expect(allowedActions('erx-renewal', 'physician')).toEqual(['approve', 'deny']);
    expect(allowedActions('erx-renewal', 'nurse')).toEqual([]);
    expect(checkAction('erx-renewal', 'approve', 'nurse')).toMatchObject({ ok: false, status: 403 });
    expect(checkAction('erx-renewal', 'approve', 'physician')).toEqual({ ok: true });
  });

  test('an action the kind does not take is a 400 naming the valid ones', () => {
    const c = checkAction('critical-result', 'approve', 'physician');
    expect(c).toMatchObject({ ok: false, status: 400 });
    expect(!c.ok && c.message).toContain('acknowledge');
  });

  test('a nurse answers patient messages but not pharmacy returns', () => {
    expect(allowedActions('patient-message', 'nurse')).toEqual(['reply', 'complete']);
    expect(allowedActions('pharmacy-return', 'nurse')).toEqual([]);
    expect(allowedActions('pharmacy-return', 'physician')).toEqual(['acknowledge', 'discontinue', 'resend']);
  });

  test('addressed to the owner practitioner or to a pool of the role, to nobody else', () => {
    const owned: fhir4.Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      owner: { reference: 'Practitioner/p1' },
    };
    const pooled: fhir4.Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      performerType: [{ coding: [{ system: POOL_SYSTEM, code: 'nursing' }] }],
    };
    expect(isAddressedTo(owned, { role: 'physician', practitionerId: 'p1' })).toBe(true);
    expect(isAddressedTo(owned, { role: 'physician', practitionerId: 'p2' })).toBe(false);
    expect(isAddressedTo(pooled, { role: 'nurse', practitionerId: 'n1' })).toBe(true);
    expect(isAddressedTo(pooled, { role: 'physician', practitionerId: 'p1' })).toBe(false);
  });

  test('the action body: deny needs a reason, reply a text, unknown fields are refused', () => {
    expect(InbasketActionBody.safeParse({ action: 'deny' }).success).toBe(false);
    expect(InbasketActionBody.safeParse({ action: 'deny', reason: 'no' }).success).toBe(false);
    expect(
      InbasketActionBody.safeParse({ action: 'deny', reason: 'not seen in a year', reasonCode: 'AF' }).success,
    ).toBe(true);
    expect(InbasketActionBody.safeParse({ action: 'deny', reason: 'not seen', reasonCode: 'af1' }).success).toBe(false);
    expect(InbasketActionBody.safeParse({ action: 'reply', text: '' }).success).toBe(false);
    expect(InbasketActionBody.safeParse({ action: 'approve', decision: 'x' }).success).toBe(false);
    expect(InbasketActionBody.safeParse({ action: 'launch' }).success).toBe(false);
  });
});
