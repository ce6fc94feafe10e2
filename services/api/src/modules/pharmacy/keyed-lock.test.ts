import { KeyedLock } from './keyed-lock';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('KeyedLock', () => {
  it('runs work of one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let running = 0;
    let max = 0;
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        lock.run('ndc', async () => {
          running++;
          max = Math.max(max, running);
          log.push(`start ${i}`);
          await tick();
          log.push(`end ${i}`);
          running--;
        }),
      ),
    );
    expect(max).toBe(1);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'start 4', 'end 4']);
  });
  it('runs different keys in parallel', async () => {
    const lock = new KeyedLock();
    let running = 0;
    let max = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((k) =>
        lock.run(k, async () => {
          running++;
          max = Math.max(max, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(max).toBe(3);
  });
  it('a failure releases the key for the next caller', async () => {
    const lock = new KeyedLock();
    await expect(
      lock.run('k', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(lock.run('k', async () => 'ok')).resolves.toBe('ok');
  });
  it('a waiter that times out gets 503 PHARMACY_BUSY and does not break the order', async () => {
    const lock = new KeyedLock(20);
    const slow = lock.run('k', () => tick(60).then(() => 'slow'));
    await expect(lock.run('k', async () => 'never')).rejects.toMatchObject({ status: 503, code: 'PHARMACY_BUSY' });
    await expect(slow).resolves.toBe('slow');
    await expect(lock.run('k', async () => 'after')).resolves.toBe('after');
    await tick(10);
  });
  it('forgets keys once idle', async () => {
    const lock = new KeyedLock();
    await lock.run('k', async () => undefined);
    await tick();
    expect(lock.size).toBe(0);
  });
});
