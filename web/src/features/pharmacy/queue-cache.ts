import type { QueueChangedMessage, QueueItem, QueueList, QueueStatus } from '@wintehr/contracts';

export interface QueueUpdate {
  data: QueueList | undefined;
  /** The list must be read again: the message names an item the cache cannot render or whose numbers changed. */
  refetch: boolean;
}

/**
 * Pure: a `pharmacy:queue` message applied to the cached list of one view (`shown` = its statuses).
 * The message carries ids and codes only (no PHI travels through Redis), so:
 *  - an item the cache does not hold and that belongs in this view (a new prescription) needs a reload;
 *  - an item that moved out of the view (dispensed, returned) is removed at once;
 *  - claim, release and verification are patched in place;
 *  - a partial fill changes quantities the message does not carry: patched, then reloaded.
 */
export function applyQueueEvent(
  data: QueueList | undefined,
  m: QueueChangedMessage,
  shown: readonly QueueStatus[],
  me: string,
): QueueUpdate {
  if (!data) return { data, refetch: false };
  const inView = shown.includes(m.status);
  const index = data.items.findIndex((i) => i.medicationRequestId === m.medicationRequestId);
  if (index < 0) return { data, refetch: inView };

  if (!inView) {
    const items = data.items.filter((_, i) => i !== index);
    // A capped list (total > count) may have a next item to pull in now that one left.
    const capped = data.total > data.count;
    return { data: { ...data, items, count: items.length, total: Math.max(0, data.total - 1) }, refetch: capped };
  }

  const before = data.items[index]!;
  const after: QueueItem = { ...before, status: m.status };
  if (m.change === 'claimed') {
    after.claimedBy = m.actorUserId ?? null;
    after.claimedAt = m.occurredAt;
    after.claimedByMe = !!m.actorUserId && m.actorUserId === me;
  } else if (m.change === 'released') {
    after.claimedBy = null;
    after.claimedAt = null;
    after.claimedByMe = false;
  } else if (m.change === 'verified' && m.status === 'verified') {
    after.verifiedAt = m.occurredAt;
  }
  const items = data.items.map((i, k) => (k === index ? after : i));
  return { data: { ...data, items }, refetch: m.change === 'partially_dispensed' };
}

/** Remembers the ids of messages already applied (a reconnect may deliver one twice); bounded. */
export class SeenEvents {
  private readonly ids: string[] = [];
  private readonly set = new Set<string>();

  constructor(private readonly max = 500) {}

  /** True the first time an id is offered. */
  first(id: string): boolean {
    if (this.set.has(id)) return false;
    this.set.add(id);
    this.ids.push(id);
    if (this.ids.length > this.max) this.set.delete(this.ids.shift()!);
    return true;
  }
}

/** A short, PHI-free announcement for screen readers when the queue changes under the pharmacist. */
export function announcementOf(m: QueueChangedMessage, me: string): string | undefined {
  if (m.actorUserId && m.actorUserId === me) return undefined;
  switch (m.change) {
    case 'added':
      return 'A new prescription arrived in the queue.';
    case 'claimed':
      return 'Another pharmacist claimed a prescription.';
    case 'released':
      return 'A prescription was released back to the queue.';
    case 'verified':
      return 'A prescription was verified.';
    case 'dispensed':
      return 'A prescription was dispensed.';
    case 'partially_dispensed':
      return 'A prescription was partly filled.';
    case 'returned':
      return 'A prescription was returned to the prescriber.';
  }
}
