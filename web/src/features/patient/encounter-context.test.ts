import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentEncounter } from './encounter-context';

test('the open visit is the latest in-progress encounter', () => {
  const e = (id: string, status: string, start?: string) => ({ id, status, start, practitioners: [] });
  assert.equal(currentEncounter([]), undefined);
  assert.equal(currentEncounter([e('done', 'finished', '2026-12-04T10:00:00Z')]), undefined);
  assert.equal(
    currentEncounter([
      e('old', 'in-progress', '2026-12-03T09:00:00Z'),
      e('today', 'in-progress', '2026-12-04T09:00:00Z'),
      e('later-finished', 'finished', '2026-12-04T11:00:00Z'),
    ])?.id,
    'today',
  );
});
