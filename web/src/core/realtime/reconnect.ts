/**
 * When the realtime socket should try again. socket.io-client retries dropped transports by itself, but not a
 * refusal by the server's handshake check (an expired or revoked token) nor a disconnect the server decided
 * (it closes sockets when their access token expires): those are ours to retry, after fetching a fresh token.
 */

export type RealtimeStatus = 'connecting' | 'live' | 'offline';

/** What to do after the server refused the handshake or closed the socket. */
export type RetryPlan = { retry: false } | { retry: true; refreshFirst: boolean; delayMs: number };

const MAX_DELAY_MS = 30_000;

/** 1 s, 2 s, 4 s … capped at 30 s; the first retry after a token expiry is immediate. */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.max(0, Math.min(attempt, 5)));
}

/**
 * Pure: the plan after a handshake error (connect_error while the client is not retrying by itself) or a
 * server-side disconnect. Without a session there is nothing to reconnect with.
 */
export function planRetry(o: {
  signedIn: boolean;
  error?: string;
  serverDisconnect?: boolean;
  attempt: number;
}): RetryPlan {
  if (!o.signedIn) return { retry: false };
  const authProblem = o.error === 'AUTHENTICATION_FAILED' || o.error === 'AUTHENTICATION_REQUIRED';
  // A server disconnect is how the token's expiry shows: reconnect at once. The session has usually renewed the
  // token already (a minute before expiry) and the handshake renews a stale one, so no forced refresh here; a
  // refused handshake (revoked token) does force one.
  if (o.serverDisconnect && o.attempt === 0) return { retry: true, refreshFirst: false, delayMs: 0 };
  return { retry: true, refreshFirst: authProblem, delayMs: retryDelayMs(o.attempt) };
}
