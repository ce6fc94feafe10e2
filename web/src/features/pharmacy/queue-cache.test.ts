import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueueChangedMessage, QueueItem, QueueList } from '@wintehr/contracts';
import { announcementOf, applyQueueEvent, SeenEvents } from './queue-cache';
import { statusesOf } from './queue-filters';

const ME = 'user-me';
const OTHER = 'user-other';

function item(id: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    medicationRequestId: id,
    status: 'queued',
    priority: 'routine',
    stat: false,
    authoredOn: '2026-01-02T10:00:00Z',
    patient: { id: `p-${id}`, name: 'Test Patient' },
    drug: { display: 'lisinopril 20 MG Oral Tablet' },
    quantityDispensed: 0,
    claimedBy: null,
    claimedAt: null,
    claimedByMe: false,
    verifiedAt: null,
    decisions: [],
    ...over,
  };
}

function list(items: QueueItem[], total = items.length): QueueList {
  return { pharmacyOrgId: 'org-1', total, count: items.length, syncedNew: 0, items };
}

function msg(id: string, over: Partial<QueueChangedMessage>): QueueChangedMessage {
  return {
    eventId: `e-${Math.random()}`,
    medicationRequestId: id,
    status: 'queued',
    change: 'added',
    occurredAt: '2026-01-02T10:05:00Z',
    ...over,
  };
}

const OPEN = statusesOf('open');

test('a new prescription for the open view asks for a reload (the message has no drug or patient)', () => {
  const data = list([item('a')]);
  const out = applyQueueEvent(data, msg('b', { change: 'added', status: 'queued' }), OPEN, ME);
  assert.equal(out.refetch, true);
  assert.equal(out.data, data, 'nothing to patch');
});

test('a message about an item outside the view and not cached is ignored', () => {
  const data = list([item('a')]);
  assert.deepEqual(applyQueueEvent(data, msg('z', { change: 'dispensed', status: 'dispensed' }), OPEN, ME), {
    data,
    refetch: false,
  });
});

test('no cached list: nothing to update, the pending fetch brings it', () => {
  assert.deepEqual(applyQueueEvent(undefined, msg('a', {}), OPEN, ME), { data: undefined, refetch: false });
});

test('a claim by another pharmacist is patched in place', () => {
  const data = list([item('a'), item('b')]);
  const out = applyQueueEvent(data, msg('b', { change: 'claimed', status: 'claimed', actorUserId: OTHER }), OPEN, ME);
  assert.equal(out.refetch, false);
  const b = out.data!.items[1]!;
  assert.deepEqual(
    [b.status, b.claimedBy, b.claimedByMe, b.claimedAt],
    ['claimed', OTHER, false, '2026-01-02T10:05:00Z'],
  );
  assert.equal(out.data!.items[0], data.items[0], 'other rows untouched');
  assert.equal(data.items[1]!.status, 'queued', 'the cached object is not mutated');
});

test('my own claim shows as mine; a release clears the holder', () => {
  const data = list([item('a')]);
  const claimed = applyQueueEvent(
    data,
    msg('a', { change: 'claimed', status: 'claimed', actorUserId: ME }),
    OPEN,
    ME,
  ).data!;
  assert.equal(claimed.items[0]!.claimedByMe, true);
  const released = applyQueueEvent(
    claimed,
    msg('a', { change: 'released', status: 'queued', actorUserId: ME }),
    OPEN,
    ME,
  ).data!;
  assert.deepEqual(
    [released.items[0]!.status, released.items[0]!.claimedBy, released.items[0]!.claimedByMe],
    ['queued', null, false],
  );
});

test('verification sets verifiedAt only when the item is verified (a call to the prescriber keeps it claimed)', () => {
  const data = list([item('a', { status: 'claimed', claimedBy: ME, claimedByMe: true })]);
  const verified = applyQueueEvent(
    data,
    msg('a', { change: 'verified', status: 'verified', actorUserId: ME }),
    OPEN,
    ME,
  ).data!;
  assert.equal(verified.items[0]!.verifiedAt, '2026-01-02T10:05:00Z');
  const waiting = applyQueueEvent(
    data,
    msg('a', { change: 'verified', status: 'claimed', actorUserId: ME }),
    OPEN,
    ME,
  ).data!;
  assert.equal(waiting.items[0]!.verifiedAt, null);
});

test('a dispensed item leaves the open queue at once; a capped list reloads to fill the gap', () => {
  const data = list([item('a'), item('b')]);
  const out = applyQueueEvent(data, msg('a', { change: 'dispensed', status: 'dispensed' }), OPEN, ME);
  assert.deepEqual(
    out.data!.items.map((i) => i.medicationRequestId),
    ['b'],
  );
  assert.deepEqual([out.data!.count, out.data!.total, out.refetch], [1, 1, false]);
  const capped = applyQueueEvent(
    list([item('a'), item('b')], 7),
    msg('b', { change: 'returned', status: 'returned' }),
    OPEN,
    ME,
  );
  assert.deepEqual([capped.data!.count, capped.data!.total, capped.refetch], [1, 6, true]);
});

test('the dispensed view keeps a dispensed item; a partial fill is patched and reloaded for its quantities', () => {
  const data = list([item('a', { status: 'verified' })]);
  const partial = applyQueueEvent(
    data,
    msg('a', { change: 'partially_dispensed', status: 'partially_dispensed' }),
    OPEN,
    ME,
  );
  assert.equal(partial.data!.items[0]!.status, 'partially_dispensed');
  assert.equal(partial.refetch, true);
  const dispensedView = list([item('a', { status: 'dispensed' })]);
  const out = applyQueueEvent(
    dispensedView,
    msg('b', { change: 'dispensed', status: 'dispensed' }),
    statusesOf('dispensed'),
    ME,
  );
  assert.equal(out.refetch, true, 'a newly dispensed item belongs in the dispensed view');
});

test('each event id is applied once', () => {
  const seen = new SeenEvents(2);
  assert.equal(seen.first('e1'), true);
  assert.equal(seen.first('e1'), false);
  seen.first('e2');
  seen.first('e3');
  assert.equal(seen.first('e1'), true, 'the oldest id is forgotten past the bound');
});

test('announcements leave out my own actions and carry no patient data', () => {
  assert.equal(announcementOf(msg('a', { change: 'claimed', actorUserId: ME }), ME), undefined);
  assert.equal(announcementOf(msg('a', { change: 'added' }), ME), 'A new prescription arrived in the queue.');
  assert.equal(
    announcementOf(msg('a', { change: 'dispensed', actorUserId: OTHER }), ME),
    'A prescription was dispensed.',
  );
});
