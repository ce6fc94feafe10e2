import { randomUUID } from 'node:crypto';

export interface StoredMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/** Received mail in arrival order, bounded (oldest dropped first). */
export class Mailbox {
  private readonly items: StoredMail[] = [];
  constructor(private readonly max: number) {}

  add(m: Omit<StoredMail, 'id' | 'receivedAt'>, at = new Date()): StoredMail {
    const stored = { ...m, to: m.to.map((x) => x.toLowerCase()), id: randomUUID(), receivedAt: at.toISOString() };
    this.items.push(stored);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    return stored;
  }

  /** Newest first; `to` matches any recipient, case-insensitively. */
  list(to?: string): StoredMail[] {
    const want = to?.toLowerCase();
    return this.items.filter((m) => !want || m.to.includes(want)).reverse();
  }

  clear(): void {
    this.items.length = 0;
  }
}
