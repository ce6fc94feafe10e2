import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque secrets (codes, launch values, refresh tokens, client secrets) have 256 bits of entropy, so SHA-256 suffices. */
export const newOpaque = () => randomBytes(32).toString('base64url');
export const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
export function sameHash(value: string, hash: string): boolean {
  const a = Buffer.from(sha256(value));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
