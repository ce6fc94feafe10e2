import { ServiceUnavailableError } from '../../core/errors';

/**
 * In-process FIFO lock per key. Dispenses of one NDC at one pharmacy serialise on the lot rows in PostgreSQL
 * anyway (the guarded decrement, held until the HAPI write commits); queueing them here first means a burst
 * waits in memory instead of each request holding a pooled connection while blocked on the row lock, which
 * would starve every other request of connections. Correctness across API instances still comes from
 * PostgreSQL; this only bounds how many connections one instance spends waiting.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly timeoutMs = 20_000) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      await Promise.race([
        prev,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(
              new ServiceUnavailableError('PHARMACY_BUSY', 'Too many dispenses of this product at once; try again'),
            );
          }, this.timeoutMs);
          timer.unref();
        }),
      ]);
      return await fn();
    } finally {
      if (timer) clearTimeout(timer);
      // A timed-out waiter gives its turn up only once its predecessor is done, so order is kept.
      if (timedOut) void prev.then(release);
      else release();
      if (this.tails.get(key) === tail)
        void tail.then(() => {
          if (this.tails.get(key) === tail) this.tails.delete(key);
        });
    }
  }

  /** Keys with queued or running work (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
