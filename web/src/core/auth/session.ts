import { ApiError, isApiErrorBody } from '../api/api-error';

/**
 * The browser session. The access token lives in memory only; the refresh token is kept in sessionStorage
 * (gone when the tab closes) so a reload does not sign the user out. Nothing else is persisted: no PHI.
 * A timer refreshes the access token shortly before it expires; a failed refresh ends the session and
 * tells the listeners, so the app can ask the user to sign in again.
 */
const REFRESH_KEY = 'wintehr.rt';
const REFRESH_MARGIN_MS = 60_000;

export interface TokenPair {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}
export type SessionEvent = 'changed' | 'expired';

let accessToken: string | undefined;
let accessExpiresAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<boolean> | undefined;
const listeners = new Set<(e: SessionEvent) => void>();

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

function emit(e: SessionEvent) {
  for (const l of listeners) l(e);
}

export const session = {
  subscribe(l: (e: SessionEvent) => void): () => void {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
  get accessToken() {
    return accessToken;
  },
  get refreshToken() {
    return storage()?.getItem(REFRESH_KEY) ?? undefined;
  },
  hasRefreshToken() {
    return !!storage()?.getItem(REFRESH_KEY);
  },
  /** True when the access token is absent or expires within the next few seconds. */
  accessTokenStale(now = Date.now()) {
    return !accessToken || accessExpiresAt - now < 5_000;
  },

  set(pair: TokenPair) {
    accessToken = pair.accessToken;
    accessExpiresAt = Date.now() + pair.expiresIn * 1000;
    if (pair.refreshToken) storage()?.setItem(REFRESH_KEY, pair.refreshToken);
    schedule(pair.expiresIn * 1000);
    emit('changed');
  },

  clear(reason: SessionEvent = 'changed') {
    // A request still in flight when the user signed out comes back 401 (logout revokes the access token at once):
    // with no session left there is nothing to expire, and "You have signed out" must stay the last word.
    const had = !!accessToken || !!storage()?.getItem(REFRESH_KEY);
    accessToken = undefined;
    accessExpiresAt = 0;
    if (timer) clearTimeout(timer);
    timer = undefined;
    storage()?.removeItem(REFRESH_KEY);
    if (reason !== 'expired' || had) emit(reason);
  },

  /** Rotates the refresh token; single-flight so concurrent 401s share one refresh. */
  refresh(): Promise<boolean> {
    inFlight ??= doRefresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  },
};

export function refreshDelayMs(expiresInMs: number): number {
  return Math.max(5_000, expiresInMs - REFRESH_MARGIN_MS);
}

function schedule(expiresInMs: number) {
  if (timer) clearTimeout(timer);
  if (!session.hasRefreshToken()) return;
  timer = setTimeout(() => {
    void session.refresh();
  }, refreshDelayMs(expiresInMs));
}

async function doRefresh(): Promise<boolean> {
  const refreshToken = session.refreshToken;
  if (!refreshToken) return false;
  try {
    const res = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    const body = (await res.json().catch(() => undefined)) as unknown;
    if (!res.ok) {
      // Only a definite refusal ends the session; a network blip or a 5xx leaves it for the next try.
      if (res.status === 401 || res.status === 400) session.clear('expired');
      if (isApiErrorBody(body)) throw new ApiError(res.status, body);
      return false;
    }
    session.set(body as TokenPair);
    return true;
  } catch (err) {
    if (err instanceof ApiError) return false;
    return false;
  }
}
