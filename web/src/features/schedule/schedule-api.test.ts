import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleItem } from '@wintehr/contracts';
import { actionsFor, shiftDate, timeOf } from './schedule-api';

const item = (o: Partial<ScheduleItem>): ScheduleItem => ({ appointmentId: 'a1', status: 'booked', ...o });

test('a booked appointment offers every step; later states only what is left; a visit in progress none', () => {
  assert.deepEqual(actionsFor(item({})), ['check-in', 'arrived', 'start-visit']);
  assert.deepEqual(actionsFor(item({ status: 'checked-in' })), ['arrived', 'start-visit']);
  assert.deepEqual(actionsFor(item({ status: 'arrived' })), ['start-visit']);
  assert.deepEqual(actionsFor(item({ status: 'arrived', encounter: { id: 'e1', status: 'in-progress' } })), []);
  assert.deepEqual(actionsFor(item({ status: 'cancelled' })), []);
  assert.deepEqual(actionsFor(item({ status: 'fulfilled' })), []);
});

test('times are shown in the clinic zone, dates shift across month ends', () => {
  assert.equal(timeOf('2026-12-04T15:30:00Z', 'UTC'), '15:30');
  assert.equal(timeOf('2026-12-04T15:30:00Z', 'America/Chicago'), '09:30');
  assert.equal(timeOf(undefined, 'UTC'), '—');
  assert.equal(shiftDate('2026-12-31', 1), '2027-01-01');
  assert.equal(shiftDate('2026-03-01', -1), '2026-02-28');
});
