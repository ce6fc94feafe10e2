import type { Tree } from './xml';

/**
 * What the network accepted, per MessageID: the answer it gave (a duplicate gets the same answer and is not
 * counted again) and, for prescriptions, the message body so a pharmacy can later refer to it (renewal, change).
 * Memory only: the simulator is a test double, restarting it forgets everything.
 */
export interface LedgerEntry {
  type: string;
  accepted: number;
  deliveries: number;
  answer: string;
  firstAt: string;
  lastAt: string;
  body?: Tree;
  header?: Tree;
}

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();
  get(id: string) {
    return this.entries.get(id);
  }
  accept(id: string, e: Omit<LedgerEntry, 'accepted' | 'deliveries' | 'firstAt' | 'lastAt'>): LedgerEntry {
    const now = new Date().toISOString();
    const entry: LedgerEntry = { ...e, accepted: 1, deliveries: 1, firstAt: now, lastAt: now };
    this.entries.set(id, entry);
    return entry;
  }
  redelivered(id: string): LedgerEntry | undefined {
    const e = this.entries.get(id);
    if (e) {
      e.deliveries += 1;
      e.lastAt = new Date().toISOString();
    }
    return e;
  }
  stats() {
    const byMessageId: Record<string, { type: string; accepted: number; deliveries: number }> = {};
    let deliveries = 0;
    for (const [id, e] of this.entries) {
      byMessageId[id] = { type: e.type, accepted: e.accepted, deliveries: e.deliveries };
      deliveries += e.deliveries;
    }
    return { accepted: this.entries.size, deliveries, byMessageId };
  }
  reset() {
    this.entries.clear();
  }
}
