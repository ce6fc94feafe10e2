import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteByline, type Note } from './notes-api';

const at = (iso: string | undefined) => `@${iso}`;

test('a draft says it is a draft and who is writing it', () => {
  const n: Note = {
    id: '1',
    status: 'current',
    docStatus: 'preliminary',
    editable: true,
    author: 'Practitioner/p1',
    authorName: 'Dr. Wilson',
  };
  assert.equal(noteByline(n, at), 'Draft · Written by Dr. Wilson');
});

test('a signed note names its author, signer and signing time', () => {
  const n: Note = {
    id: '1',
    status: 'current',
    docStatus: 'final',
    editable: false,
    author: 'Practitioner/p1',
    authorName: 'Dr. Wilson',
    signedBy: 'Practitioner/p2',
    signedByName: 'Dr. Okafor',
    signedAt: '2026-12-04T10:00:00Z',
  };
  assert.equal(noteByline(n, at), 'Written by Dr. Wilson · Signed by Dr. Okafor · @2026-12-04T10:00:00Z');
});

test('older notes without recorded names fall back to the reference', () => {
  const n: Note = {
    id: '1',
    status: 'current',
    docStatus: 'final',
    editable: false,
    author: 'Practitioner/p1',
    signedBy: 'Practitioner/p1',
  };
  assert.equal(noteByline(n, at), 'Written by Practitioner p1 · Signed by Practitioner p1');
});
