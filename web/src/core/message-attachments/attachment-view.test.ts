import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_ATTACHMENT_LIMITS } from '@wintehr/contracts';
import { chosenFilesProblem, formatBytes, typeLabel } from './attachment-view';

test('sizes and types read as people say them', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(200_000), '195 KB');
  assert.equal(formatBytes(2 * 1024 * 1024), '2.0 MB');
  assert.equal(formatBytes(null), 'size unknown');
  assert.equal(typeLabel('application/pdf'), 'PDF');
  assert.equal(typeLabel('application/x-unknown'), 'application/x-unknown');
});

test('the composer refuses too many, empty, too large and too much together before uploading', () => {
  const mb = 1024 * 1024;
  const f = (name: string, size: number) => ({ name, size });
  assert.equal(chosenFilesProblem([f('a.pdf', 10), f('b.png', 20)]), null);
  assert.equal(chosenFilesProblem([1, 2, 3, 4].map((n) => f(`${n}.png`, 1))), 'Attach at most 3 files.');
  assert.equal(chosenFilesProblem([f('e.txt', 0)]), 'e.txt is empty.');
  assert.equal(chosenFilesProblem([f('big.pdf', 5 * mb + 1)]), 'big.pdf is larger than 5.0 MB.');
  assert.equal(
    chosenFilesProblem([f('a.pdf', 4 * mb), f('b.pdf', 4 * mb), f('c.pdf', 4 * mb)], MESSAGE_ATTACHMENT_LIMITS),
    'The files together are larger than 10.0 MB.',
  );
});
