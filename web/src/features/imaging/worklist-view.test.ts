import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartImagingPath,
  countText,
  emptyText,
  isWorklistFilter,
  patientLabel,
  relativeTime,
  studyLabel,
  waitingText,
} from './worklist-view';

const now = new Date('2026-03-10T12:00:00Z');

test('relative time reads in the largest whole unit, "just now" under a minute, empty when unknown', () => {
  assert.equal(relativeTime('2026-03-10T11:59:30Z', now), 'just now');
  assert.equal(relativeTime('2026-03-10T11:15:00Z', now), '45 minutes ago');
  assert.equal(relativeTime('2026-03-10T09:00:00Z', now), '3 hours ago');
  assert.equal(relativeTime('2026-03-09T11:00:00Z', now), 'yesterday');
  assert.equal(relativeTime('2026-03-01T12:00:00Z', now), 'last week');
  assert.equal(relativeTime('2026-01-01', now), '2 months ago');
  assert.equal(relativeTime(undefined, now), '');
  assert.equal(relativeTime('not a date', now), '');
});

test('the patient falls back to the id', () => {
  assert.equal(patientLabel({ id: 'p1', name: 'Ada Lovelace' }), 'Ada Lovelace');
  assert.equal(patientLabel({ id: 'p1' }), 'Patient p1');
});

test('the study reads as modality and description, else the order, else "Study"', () => {
  assert.equal(studyLabel({ modalities: ['CT'], description: 'CT CHEST' }), 'CT · CT CHEST');
  assert.equal(studyLabel({ modalities: ['CR', 'DX'], order: { id: 'o', code: 'XR Chest' } }), 'CR, DX · XR Chest');
  assert.equal(studyLabel({ modalities: [] }), 'Study');
});

test('only the two filters are accepted from the URL', () => {
  assert.ok(isWorklistFilter('unreported'));
  assert.ok(isWorklistFilter('all'));
  assert.ok(!isWorklistFilter('final'));
  assert.ok(!isWorklistFilter(null));
});

test('a row opens the Imaging tab of its chart, ids escaped', () => {
  assert.equal(chartImagingPath('p-1'), '/patients/p-1/imaging');
  assert.equal(chartImagingPath('a/b'), '/patients/a%2Fb/imaging');
  assert.equal(chartImagingPath('p-1', 'st 1'), '/patients/p-1/imaging?study=st%201');
});

test('empty and count texts say what the list holds', () => {
  assert.match(emptyText('unreported'), /waiting for a report/);
  assert.notEqual(emptyText('all'), emptyText('unreported'));
  assert.equal(countText({ items: [1], scanned: 5, truncated: false }), '1 study');
  assert.equal(
    countText({ items: [1, 2], scanned: 200, truncated: true }),
    '2 studies (from the 200 most recent studies)',
  );
});

test('the home card counts the waiting studies and the STAT ones among them', () => {
  assert.equal(waitingText([]), 'No studies are waiting for a report.');
  assert.equal(waitingText([{ priority: 'routine' }]), '1 study waiting for a report.');
  assert.equal(
    waitingText([{ priority: 'stat' }, { priority: 'urgent' }, { priority: 'stat' }]),
    '3 studies waiting for a report (2 STAT).',
  );
});
