import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { AppError } from '../../core/errors';
import { CdsClientVerifier } from './cds-client-auth';
import type { Redis } from 'ioredis';
import { MemoryJtiStore, RedisJtiStore } from './jti-store';

const AUD = 'https://wintehr.example/cds-services/wintehr-order-sign';
const A = 'https://ehr-a.example';
const C = 'https://ehr-c.example';
/** A client configured with a JWKS URL (never reachable here: a token with another jku must fail before any fetch). */
const R = 'https://ehr-r.example';
const R_JWKS = 'http://127.0.0.1:9/jwks.json';

let key: CryptoKey;
let otherKey: CryptoKey;
let verifier: CdsClientVerifier;

interface Opt {
  iss?: string;
  aud?: string | string[];
  exp?: number;
  jti?: string | null;
  kid?: string | null;
  alg?: string;
  jku?: string;
  claims?: Record<string, unknown>;
  signWith?: CryptoKey | Uint8Array;
}

async function token(o: Opt = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...(o.claims ?? {}) })
    .setProtectedHeader({
      alg: o.alg ?? 'ES256',
      typ: 'JWT',
      ...(o.kid === null ? {} : { kid: o.kid ?? 'k1' }),
      ...(o.jku ? { jku: o.jku } : {}),
    })
    .setIssuer(o.iss ?? A)
    .setAudience(o.aud ?? AUD)
    .setIssuedAt(now)
    .setExpirationTime(o.exp ?? now + 60);
  if (o.jti !== null) jwt.setJti(o.jti ?? randomUUID());
  return jwt.sign(o.signWith ?? key);
}

function unsigned(): string {
  const enc = (x: unknown) => base64url.encode(JSON.stringify(x));
  return `${enc({ alg: 'none', kid: 'k1' })}.${enc({ iss: A, aud: AUD, exp: Math.floor(Date.now() / 1000) + 60, jti: randomUUID() })}.`;
}

async function reason(authorization: string | undefined): Promise<string> {
  try {
    await verifier.verify(authorization, [AUD]);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(401);
    return ((err as AppError).details as { reason: string }).reason;
  }
}

beforeAll(async () => {
  const kp = await generateKeyPair('ES256', { extractable: true });
  key = kp.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const pub: JWK = { ...(await exportJWK(kp.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  verifier = new CdsClientVerifier(
    [
      { iss: A, jwks: { keys: [pub] } },
      { iss: C, jwks: { keys: [pub] }, requiredClaims: { purpose: 'cds_client' } },
      { iss: R, jwksUrl: R_JWKS },
    ],
    new MemoryJtiStore(),
  );
});

describe('CdsClientVerifier', () => {
  it('accepts a well-formed token addressed to the endpoint invoked (also as a one-element aud array)', async () => {
    expect(await reason(`Bearer ${await token()}`)).toBe('ok');
    expect(await reason(`Bearer ${await token({ aud: [AUD] })}`)).toBe('ok');
  });

  it('accepts a jku header from a client configured with an inline JWKS: its configured keys decide, by kid (as the cds-hooks sandbox signs)', async () => {
    expect(await reason(`Bearer ${await token({ jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json' })}`)).toBe(
      'ok',
    );
    expect(
      await reason(`Bearer ${await token({ jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json', kid: 'k2' })}`),
    ).toBe('kid');
    expect(
      await reason(
        `Bearer ${await token({ jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json', signWith: otherKey })}`,
      ),
    ).toBe('signature');
  });

  it.each<[string, () => Promise<string | undefined>, string]>([
    ['no Authorization header', async () => undefined, 'missing_token'],
    ['not a Bearer JWT', async () => 'Basic abc', 'missing_token'],
    ['alg none', async () => `Bearer ${unsigned()}`, 'alg'],
    [
      'alg HS256 (symmetric)',
      async () => `Bearer ${await token({ alg: 'HS256', signWith: new TextEncoder().encode('x'.repeat(32)) })}`,
      'alg',
    ],
    ['no kid', async () => `Bearer ${await token({ kid: null })}`, 'kid'],
    ['unknown kid', async () => `Bearer ${await token({ kid: 'k2' })}`, 'kid'],
    ['signed with another key', async () => `Bearer ${await token({ signWith: otherKey })}`, 'signature'],
    ['wrong audience', async () => `Bearer ${await token({ aud: 'https://other.example/cds-services/x' })}`, 'claim'],
    [
      'aud = the discovery base, not the endpoint invoked',
      async () => `Bearer ${await token({ aud: 'https://wintehr.example/cds-services' })}`,
      'claim',
    ],
    [
      'aud = the feedback URL on a service call',
      async () => `Bearer ${await token({ aud: `${AUD}/feedback` })}`,
      'claim',
    ],
    [
      'jku other than the configured JWKS URL (JWKS-URL client)',
      async () => `Bearer ${await token({ iss: R, jku: 'https://evil.example/jwks' })}`,
      'jku',
    ],
    ['expired', async () => `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 60 })}`, 'expired'],
    [
      'lives longer than 5 minutes',
      async () => `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) + 3600 })}`,
      'exp_too_long',
    ],
    ['no jti', async () => `Bearer ${await token({ jti: null })}`, 'claim'],
    ['untrusted issuer', async () => `Bearer ${await token({ iss: 'https://evil.example' })}`, 'untrusted_issuer'],
    ['a required claim is missing', async () => `Bearer ${await token({ iss: C })}`, 'claim'],
  ])('rejects: %s', async (_name, make, why) => {
    expect(await reason(await make())).toBe(why);
  });

  it('accepts a required claim when present', async () => {
    expect(await reason(`Bearer ${await token({ iss: C, claims: { purpose: 'cds_client' } })}`)).toBe('ok');
  });

  it('rejects a replayed jti', async () => {
    const t = `Bearer ${await token()}`;
    expect(await reason(t)).toBe('ok');
    expect(await reason(t)).toBe('replay');
  });
});

describe('MemoryJtiStore', () => {
  it('claims once, again after expiry, and stays bounded', async () => {
    const s = new MemoryJtiStore(3);
    expect(await s.claim('a', 60)).toBe(true);
    expect(await s.claim('a', 60)).toBe(false);
    expect(await s.claim('b', 0)).toBe(true);
    expect(await s.claim('b', 60)).toBe(true); // expired immediately
    for (const id of ['c', 'd', 'e']) await s.claim(id, 60);
    expect(await s.claim('a', 60)).toBe(true); // evicted as the oldest
  });
});

describe('RedisJtiStore', () => {
  const fake = (status: string, set: (...args: unknown[]) => Promise<string | null>) =>
    ({ status, set }) as unknown as Redis;

  it('uses SET NX EX and remembers the id locally too', async () => {
    const calls: unknown[][] = [];
    const store = new RedisJtiStore(
      fake('ready', async (...args) => {
        calls.push(args);
        return calls.length === 1 ? 'OK' : null;
      }),
    );
    expect(await store.claim('a', 10.2)).toBe(true);
    expect(calls[0]).toEqual(['wintehr:cds:jti:a', '1', 'EX', 11, 'NX']);
    expect(await store.claim('a', 10)).toBe(false);
  });

  it('falls back to the in-memory store while Redis is down or slow', async () => {
    const down = new RedisJtiStore(fake('reconnecting', async () => 'OK'));
    expect(await down.claim('b', 60)).toBe(true);
    expect(await down.claim('b', 60)).toBe(false);
    const slow = new RedisJtiStore(
      fake('ready', () => new Promise(() => undefined)),
      undefined,
      20,
    );
    expect(await slow.claim('c', 60)).toBe(true);
    expect(await slow.claim('c', 60)).toBe(false);
  });
});
