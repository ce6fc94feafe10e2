import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localDay, monthPeriod, periodFromSearch, periodLabel, periodProblems, periodQuery } from './cs-period';

test('the default period is the calendar month of today, first to last day', () => {
  assert.deepEqual(monthPeriod(new Date(2026, 10, 23, 17, 45)), { from: '2026-11-01', to: '2026-11-30' });
  assert.deepEqual(monthPeriod(new Date(2028, 1, 10)), { from: '2028-02-01', to: '2028-02-29' }, 'leap February');
  assert.deepEqual(
    monthPeriod(new Date(2026, 0, 31), -1),
    { from: '2025-12-01', to: '2025-12-31' },
    'last month across the year',
  );
  assert.deepEqual(
    monthPeriod(new Date(2026, 2, 31), -1),
    { from: '2026-02-01', to: '2026-02-28' },
    'from the 31st, last month is still February',
  );
});

test('the address keeps a chosen period; without one, this month', () => {
  const now = new Date(2026, 10, 23);
  assert.deepEqual(periodFromSearch(new URLSearchParams(''), now), { from: '2026-11-01', to: '2026-11-30' });
  assert.deepEqual(periodFromSearch(new URLSearchParams('from=2026-01-05&to=2026-01-09'), now), {
    from: '2026-01-05',
    to: '2026-01-09',
  });
  assert.deepEqual(
    periodFromSearch(new URLSearchParams('from=junk'), now),
    { from: 'junk', to: '2026-11-30' },
    'kept, to show its problem',
  );
});

test('periods are checked before the API is asked', () => {
  assert.deepEqual(periodProblems({ from: '2026-11-01', to: '2026-11-30' }), {});
  assert.deepEqual(periodProblems({ from: '2026-11-05', to: '2026-11-05' }), {}, 'one day');
  assert.deepEqual(periodProblems({ from: '2026-11-30', to: '2026-11-01' }), {
    to: 'The last day cannot be before the first',
  });
  assert.deepEqual(periodProblems({ from: '2026-02-30', to: '' }), {
    from: 'A date (YYYY-MM-DD)',
    to: 'A date (YYYY-MM-DD)',
  });
});

test('the API gets local midnight of the first day and local midnight after the last (exclusive)', () => {
  const q = periodQuery({ from: '2026-11-01', to: '2026-11-30' });
  assert.equal(q.from, new Date(2026, 10, 1).toISOString());
  assert.equal(q.to, new Date(2026, 11, 1).toISOString());
  const end = new Date(q.to);
  assert.deepEqual(
    [end.getHours(), end.getMinutes(), localDay(end)],
    [0, 0, '2026-12-01'],
    'a calendar day later, whatever the DST',
  );
  const one = periodQuery({ from: '2026-03-08', to: '2026-03-08' });
  assert.equal(localDay(new Date(one.to)), '2026-03-09');
  assert.throws(() => periodQuery({ from: 'x', to: '2026-03-08' }), /invalid period/);
});

test('the period reads as days', () => {
  assert.equal(periodLabel({ from: '2026-11-01', to: '2026-11-30' }, 'en-GB'), '1 Nov 2026 – 30 Nov 2026');
  assert.equal(periodLabel({ from: '2026-11-05', to: '2026-11-05' }, 'en-GB'), '5 Nov 2026');
});
