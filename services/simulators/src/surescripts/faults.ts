/**
 * Fault injection for tests: the next `count` messages on POST /script meet the fault.
 *  - timeout:   no answer at all; the connection is dropped after delayMs (default 30 s). Nothing is accepted.
 *  - http500:   HTTP 500 at once. Nothing is accepted.
 *  - slow:      the message is processed and accepted, the answer waits delayMs (the sender may time out and
 *               retry: the retry is a duplicate and gets the original answer).
 *  - duplicate: the message is accepted but its acknowledgement is "lost" (HTTP 502), so the sender delivers it
 *               again; the network must recognise the MessageID and not count it twice.
 */
export type FaultMode = 'timeout' | 'http500' | 'slow' | 'duplicate';
export interface Fault {
  mode: FaultMode;
  remaining: number;
  delayMs: number;
}

export class FaultInjector {
  private current: Fault | undefined;
  set(mode: FaultMode, count: number, delayMs?: number): Fault {
    this.current = {
      mode,
      remaining: count,
      delayMs: delayMs ?? (mode === 'timeout' ? 30_000 : mode === 'slow' ? 2_000 : 0),
    };
    return { ...this.current };
  }
  clear() {
    this.current = undefined;
  }
  peek(): Fault | undefined {
    return this.current && { ...this.current };
  }
  /** The fault for this request, if any, consuming one of its count. */
  take(): Fault | undefined {
    const f = this.current;
    if (!f) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.current = undefined;
    return { ...f };
  }
}
