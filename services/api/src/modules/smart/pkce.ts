import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is a base64url SHA-256: 43 characters, no padding. */
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export type PkceRequestCheck = { ok: true } | { ok: false; description: string };

/** Checks the authorize request's PKCE parameters: S256 only (plain is refused for every client). */
export function checkPkceRequest(challenge: string | undefined, method: string | undefined): PkceRequestCheck {
  if (!challenge) return { ok: false, description: 'code_challenge is required (PKCE)' };
  if (method !== 'S256')
    return {
      ok: false,
      description: method
        ? `code_challenge_method ${method} is not supported; use S256`
        : 'code_challenge_method S256 is required',
    };
  if (!CHALLENGE.test(challenge)) return { ok: false, description: 'code_challenge is not a base64url SHA-256 value' };
  return { ok: true };
}

/** Verifies a code_verifier against the stored S256 challenge, in constant time. */
export function verifyPkce(verifier: string | undefined, challenge: string): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  const a = Buffer.from(s256(verifier));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
