import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRetry, retryDelayMs } from './reconnect';

test('retry delays grow and are capped', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(retryDelayMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(retryDelayMs(-3), 1000);
});

test('a refused handshake is retried with a fresh token; other errors without one', () => {
  assert.deepEqual(planRetry({ signedIn: true, error: 'AUTHENTICATION_FAILED', attempt: 0 }), {
    retry: true,
    refreshFirst: true,
    delayMs: 1000,
  });
  assert.deepEqual(planRetry({ signedIn: true, error: 'AUTHENTICATION_REQUIRED', attempt: 2 }), {
    retry: true,
    refreshFirst: true,
    delayMs: 4000,
  });
  assert.deepEqual(planRetry({ signedIn: true, error: 'xhr poll error', attempt: 1 }), {
    retry: true,
    refreshFirst: false,
    delayMs: 2000,
  });
});

test('the server closing the socket (token expiry) reconnects at once, then backs off', () => {
  assert.deepEqual(planRetry({ signedIn: true, serverDisconnect: true, attempt: 0 }), {
    retry: true,
    refreshFirst: false,
    delayMs: 0,
  });
  assert.deepEqual(planRetry({ signedIn: true, serverDisconnect: true, attempt: 3 }), {
    retry: true,
    refreshFirst: false,
    delayMs: 8000,
  });
});

test('signed out: no retry', () => {
  assert.deepEqual(planRetry({ signedIn: false, error: 'AUTHENTICATION_FAILED', attempt: 0 }), { retry: false });
  assert.deepEqual(planRetry({ signedIn: false, serverDisconnect: true, attempt: 0 }), { retry: false });
});
