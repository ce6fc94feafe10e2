import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Principal } from '../auth/principal';
import type { AppDeps } from '../deps';
import { subscribeEvents } from '../events/event-subscriber';
import type { DomainEvent } from '../events/events';

export const SOCKET_PATH = '/socket.io';
/** How long the "this instance fans out event N" claim lives: far longer than any redelivery of one event. */
const CLAIM_TTL_SECONDS = 300;

export interface Emitter {
  emit(room: string, message: string, payload: unknown): void;
}

/**
 * A module's part of the real-time layer, declared in its manifest: the rooms a user joins, the domain events it
 * acts on, and what it does with one (on exactly one API instance per event). Core knows no module's rules.
 */
export interface RealtimeChannel {
  eventTypes: ReadonlySet<DomainEvent['type']>;
  roomsFor(deps: AppDeps, principal: Principal): Promise<string[]>;
  handle(deps: AppDeps, event: DomainEvent, out: Emitter): Promise<void>;
}

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

/**
 * Socket.io on the API's HTTP server, shared across API instances through the Redis adapter.
 *
 * Every instance hears every domain event (Redis pub/sub), but each event is fanned out by ONE instance: the
 * first to SET NX its id. That instance emits to the room through the adapter, which delivers to the sockets
 * on every instance, so a browser gets each message once however many instances run. The adapter's channels
 * carry the Redis database number, like the events channel, so stacks sharing one Redis stay apart.
 *
 * Sockets authenticate with the access token (handshake auth.token), are refused when the token is revoked or
 * the account disabled, and are disconnected when the token expires (the client reconnects with a fresh one).
 */
export function attachRealtime(
  server: HttpServer,
  deps: AppDeps,
  channels: readonly RealtimeChannel[],
): { close(): Promise<void>; io: Server } {
  const pub = new Redis(deps.config.redis.url, {
    maxRetriesPerRequest: null,
    retryStrategy: (n) => Math.min(n * 200, 2000),
  });
  const sub = pub.duplicate();
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  const io = new Server(server, {
    path: SOCKET_PATH,
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `wintehr:db${pub.options.db ?? 0}:socket.io` }),
  });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) return next(new Error('AUTHENTICATION_REQUIRED'));
    authenticateSocket(deps, token)
      .then((principal) => {
        socket.data.principal = principal;
        next();
      })
      .catch(() => next(new Error('AUTHENTICATION_FAILED')));
  });

  io.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    const ms = principal.tokenExpiresAt * 1000 - Date.now();
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    expiry.unref();
    socket.on('disconnect', () => clearTimeout(expiry));
    void Promise.all(channels.map((c) => c.roomsFor(deps, principal)))
      .then((r) => r.flat())
      .then((rooms) => {
        void socket.join([`user:${principal.userId}`, ...rooms]);
        socket.emit('ready', { rooms });
      })
      .catch((err: Error) => {
        deps.logger.warn({ err: { message: err.message } }, 'realtime: rooms not joined');
        socket.disconnect(true);
      });
  });

  const emitter: Emitter = {
    emit: (room: string, message: string, payload: unknown) => {
      io.to(room).emit(message, payload);
    },
  };
  const subscription = subscribeEvents(deps.config.redis.url, (event: DomainEvent) => {
    const interested = channels.filter((c) => c.eventTypes.has(event.type));
    if (!interested.length) return;
    void claim(pub, event)
      .then((mine) => (mine ? Promise.all(interested.map((c) => c.handle(deps, event, emitter))) : undefined))
      .catch((err: Error) =>
        deps.logger.warn(
          { err: { message: err.message }, type: event.type, eventId: event.id },
          'realtime: event not handled',
        ),
      );
  });

  return {
    io,
    async close() {
      await subscription.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function authenticateSocket(deps: AppDeps, token: string): Promise<Principal> {
  const principal = await deps.tokens.verify(token, 'access');
  const { rows } = await deps.pg.query<{ revoked: boolean; active: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1) AS revoked,
            EXISTS (SELECT 1 FROM users WHERE id = $2::uuid AND NOT disabled) AS active`,
    [principal.tokenId, principal.userId],
  );
  if (rows[0]?.revoked || !rows[0]?.active) throw new Error('token revoked or account disabled');
  return principal;
}

/** True for exactly one instance per event id. */
async function claim(redis: Redis, event: DomainEvent): Promise<boolean> {
  if (!event.id) return false;
  // Outbox ids are per database; the occurrence time keeps ids of two databases sharing one Redis apart.
  const ok = await redis.set(
    `wintehr:realtime:claim:${event.id}:${event.occurredAt}`,
    '1',
    'EX',
    CLAIM_TTL_SECONDS,
    'NX',
  );
  return ok === 'OK';
}
