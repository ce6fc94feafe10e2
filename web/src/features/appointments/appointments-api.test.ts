import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../core/api/api-error';
import { bookingProblem, dayLabel, slotButtonName, slotsByDay, timeLabel, whenLabel } from './appointments-api';

const slot = (slotId: string, start: string) => ({
  slotId,
  start,
  end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  minutes: 20,
  practitionerId: 'p',
  practitionerName: 'Dr. A',
});

test('free slots are grouped by the clinic’s local day, in order', () => {
  const g = slotsByDay(
    [slot('c', '2026-12-08T15:00:00Z'), slot('a', '2026-12-07T15:00:00Z'), slot('b', '2026-12-08T03:00:00Z')],
    'America/Chicago',
  );
  // 03:00 UTC on the 8th is still the evening of the 7th in Chicago.
  assert.deepEqual(
    g.map((d) => [d.day, d.slots.map((s) => s.slotId)]),
    [
      ['2026-12-07', ['a', 'b']],
      ['2026-12-08', ['c']],
    ],
  );
});

test('days and times are labelled for people, in the clinic’s zone', () => {
  assert.equal(dayLabel('2026-12-07'), 'Monday, December 7');
  assert.equal(timeLabel('2026-12-07T15:00:00Z', 'America/Chicago'), '9:00 AM');
  assert.equal(whenLabel('2026-12-07T15:00:00Z', 'UTC'), 'Monday, December 7 at 3:00 PM');
});

test('a free time is named by what its button shows (label in name), and whose time it is', () => {
  assert.equal(slotButtonName('9:20 AM', 'Dr. A', true), '9:20 AM Dr. A');
  assert.equal(slotButtonName('9:20 AM', 'Dr. A', false), '9:20 AM with Dr. A');
});

test('a taken slot asks for another time; a rule (422) says it cannot be done online', () => {
  const taken = new ApiError(409, { error: { code: 'SLOT_TAKEN', message: 'That time was just taken' } } as never);
  assert.deepEqual(bookingProblem(taken), { title: 'That time is no longer available', slotGone: true });
  const late = new ApiError(422, { error: { code: 'TOO_CLOSE_TO_START', message: 'x' } } as never);
  assert.equal(bookingProblem(late).title, 'This cannot be done online');
  assert.equal(bookingProblem(new Error('x')).slotGone, false);
});
