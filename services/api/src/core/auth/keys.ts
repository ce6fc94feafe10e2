import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, calculateJwkThumbprint } from 'jose';
import type { AppConfig } from '../config';

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: Awaited<ReturnType<typeof importJWK>>;
  publicJwk: JWK;
}

/**
 * The token signing key: from JWT_PRIVATE_JWK when given (production), otherwise generated once and kept
 * in KEYS_DIR so tokens survive restarts of the local stack. Production refuses to generate one.
 */
export async function loadSigningKey(config: AppConfig): Promise<SigningKey> {
  let jwk: JWK | undefined;
  if (config.jwtPrivateJwk) jwk = JSON.parse(config.jwtPrivateJwk) as JWK;
  const file = path.join(config.keysDir, 'jwt-signing-key.json');
  if (!jwk && existsSync(file)) jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  if (!jwk) {
    if (config.env === 'production') throw new Error('JWT_PRIVATE_JWK is required in production');
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    jwk = await exportJWK(privateKey);
    jwk.kid = await calculateJwkThumbprint(jwk);
    jwk.alg = 'RS256';
    jwk = JSON.parse(keepFirst(config.keysDir, file, JSON.stringify(jwk))) as JWK;
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk));
  const privateKey = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return { kid, alg: 'RS256', privateKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

/** 32-byte key that encrypts TOTP secrets at rest; generated and kept locally like the signing key. */
export function loadMfaKey(config: AppConfig): Buffer {
  if (config.mfaEncryptionKey) return Buffer.from(config.mfaEncryptionKey, 'hex');
  const file = path.join(config.keysDir, 'mfa-encryption-key.hex');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (config.env === 'production') throw new Error('MFA_ENCRYPTION_KEY is required in production');
  return Buffer.from(keepFirst(config.keysDir, file, randomBytes(32).toString('hex')).trim(), 'hex');
}

/**
 * Writes a freshly generated key unless another process (or another app instance in this one) got there first,
 * and returns whichever is on disk: two instances starting together on a fresh checkout must share one key.
 */
function keepFirst(dir: string, file: string, content: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written in full under a private name, then linked into place: link() fails if the name exists, atomically.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(file, 'utf8');
  } finally {
    unlinkSync(tmp);
  }
}
