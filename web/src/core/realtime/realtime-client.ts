import { io, type Socket } from 'socket.io-client';
import { session } from '../auth/session';
import { planRetry, type RealtimeStatus } from './reconnect';

type Listener = (payload: unknown) => void;

const SOCKET_PATH = '/socket.io';

const signedIn = () => !!session.accessToken || session.hasRefreshToken();

/** The access token for the handshake, refreshed first when it is about to expire. */
async function freshToken(): Promise<string> {
  if (session.accessTokenStale() && session.hasRefreshToken()) await session.refresh();
  return session.accessToken ?? '';
}

/**
 * One socket to the API's realtime channel (socket.io, handshake `auth.token` = the access token) per tab,
 * open while at least one screen uses it and closed when the last one leaves or the session ends. The server
 * puts the socket in its rooms and says `ready`; it closes the socket when the token expires, and we reconnect
 * with a fresh one. Screens subscribe to message names and learn about every (re)join, so they can reload
 * what they may have missed while disconnected.
 */
class RealtimeConnection {
  private socket: Socket | undefined;
  private users = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private current: RealtimeStatus = 'offline';
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly statusListeners = new Set<() => void>();
  private readonly readyListeners = new Set<() => void>();

  constructor() {
    session.subscribe((e) => {
      if (e === 'expired' || !signedIn()) this.close();
      else if (this.users > 0 && !this.socket) this.open();
    });
  }

  get status(): RealtimeStatus {
    return this.current;
  }

  /** Keeps the socket open until the returned function is called. */
  acquire(): () => void {
    this.users++;
    if (this.users === 1) this.open();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users--;
      if (this.users === 0) this.close();
    };
  }

  on(message: string, listener: Listener): () => void {
    const set = this.listeners.get(message) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(message, set);
    return () => {
      set.delete(listener);
    };
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Called each time the server has (re)joined this socket to its rooms. */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => {
      this.readyListeners.delete(listener);
    };
  }

  private setStatus(s: RealtimeStatus) {
    if (s === this.current) return;
    this.current = s;
    for (const l of this.statusListeners) l();
  }

  private open() {
    if (!signedIn()) return this.setStatus('offline');
    // WebSocket only: long-polling would need sticky sessions across API instances.
    const socket = io({
      path: SOCKET_PATH,
      transports: ['websocket'],
      autoConnect: false,
      auth: (cb) => {
        void freshToken().then(
          (token) => cb({ token }),
          () => cb({ token: '' }),
        );
      },
    });
    this.socket = socket;
    socket.on('connect', () => this.setStatus('connecting'));
    socket.on('ready', () => {
      this.attempt = 0;
      this.setStatus('live');
      for (const l of this.readyListeners) l();
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') this.retry({ serverDisconnect: true });
      else this.setStatus(socket.active ? 'connecting' : 'offline');
    });
    socket.on('connect_error', (err) => {
      // While `active`, socket.io retries by itself; otherwise the handshake was refused and the retry is ours.
      if (socket.active) this.setStatus('connecting');
      else this.retry({ error: err.message });
    });
    socket.onAny((message: string, payload: unknown) => {
      for (const l of this.listeners.get(message) ?? []) l(payload);
    });
    this.setStatus('connecting');
    socket.connect();
  }

  private retry(o: { error?: string; serverDisconnect?: boolean }) {
    const plan = planRetry({ signedIn: signedIn(), attempt: this.attempt++, ...o });
    if (!plan.retry || !this.socket) return this.setStatus('offline');
    this.setStatus('connecting');
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.retryTimer = setTimeout(() => {
      void (async () => {
        if (plan.refreshFirst && session.hasRefreshToken()) await session.refresh();
        if (this.socket === socket && signedIn()) socket.connect();
      })();
    }, plan.delayMs);
  }

  private close() {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.offAny();
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.setStatus('offline');
  }
}

export const realtime = new RealtimeConnection();
