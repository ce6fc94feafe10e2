import { Redis } from 'ioredis';
import { eventsChannel, type DomainEvent } from './events';

/** Live domain events from every API instance (Redis pub/sub). Resubscribes by itself after Redis outages. */
export function subscribeEvents(redisUrl: string, onEvent: (e: DomainEvent) => void): { close(): Promise<void> } {
  const sub = new Redis(redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: null,
    retryStrategy: (n) => Math.min(n * 200, 2000),
  });
  sub.on('error', () => undefined);
  void sub.subscribe(eventsChannel(sub.options.db)).catch(() => undefined);
  sub.on('message', (_channel: string, message: string) => {
    try {
      onEvent(JSON.parse(message) as DomainEvent);
    } catch {
      // A malformed message is not ours to crash on.
    }
  });
  return {
    close: async () => {
      sub.disconnect();
    },
  };
}
