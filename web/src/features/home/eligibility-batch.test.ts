import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSummary } from './eligibility-batch';

test('a run is summed up with the counts that are not zero', () => {
  const counts = {
    appointments: 5,
    patients: 4,
    active: 2,
    inactive: 1,
    unknown: 0,
    rejected: 0,
    failed: 1,
    noCoverage: 0,
    skipped: 0,
  };
  const run = {
    id: 'r',
    serviceDate: '2026-12-05',
    trigger: 'schedule' as const,
    startedAt: '',
    status: 'done' as const,
    counts,
  };
  assert.equal(runSummary(run), '4 patients: 2 active, 1 inactive, 1 failed');
  assert.equal(
    runSummary({ ...run, counts: { ...counts, patients: 1, active: 0, inactive: 0, failed: 0, skipped: 1 } }),
    '1 patient: 1 already checked',
  );
  assert.equal(
    runSummary({ ...run, counts: { ...counts, patients: 0, active: 0, inactive: 0, failed: 0 } }),
    '0 patients',
  );
});
