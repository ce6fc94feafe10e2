import {
  challengeState,
  codeMatches,
  hashCode,
  hashToken,
  linkState,
  newCode,
  newLinkToken,
  resendWait,
} from './one-time-secrets';

const key = Buffer.alloc(32, 7);

describe('one-time secrets', () => {
  it('draws 6-digit codes and 256-bit url-safe tokens, all different', () => {
    const codes = new Set(Array.from({ length: 200 }, newCode));
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(codes.size).toBeGreaterThan(190);
    const t = newLinkToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLinkToken()).not.toBe(t);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
  });

  it('keys code hashes to the server secret and the challenge', () => {
    const h = hashCode(key, 'c1', '123456');
    expect(codeMatches(key, 'c1', '123456', h)).toBe(true);
    expect(codeMatches(key, 'c1', '123457', h)).toBe(false);
    expect(codeMatches(key, 'c2', '123456', h)).toBe(false);
    expect(codeMatches(Buffer.alloc(32, 8), 'c1', '123456', h)).toBe(false);
  });

  it('applies expiry, attempt and single-use rules in that precedence', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const later = new Date('2026-12-04T10:10:00Z');
    const base = { expires_at: later, consumed_at: null, attempts: 0 };
    expect(challengeState(base, 5, now)).toBe('usable');
    expect(challengeState({ ...base, attempts: 4 }, 5, now)).toBe('usable');
    expect(challengeState({ ...base, attempts: 5 }, 5, now)).toBe('locked');
    expect(challengeState(base, 5, later)).toBe('expired');
    expect(challengeState({ ...base, consumed_at: now }, 5, now)).toBe('consumed');
    const link = { expires_at: later, used_at: null, revoked_at: null };
    expect(linkState(link, now)).toBe('usable');
    expect(linkState(link, later)).toBe('expired');
    expect(linkState({ ...link, revoked_at: now }, now)).toBe('revoked');
    expect(linkState({ ...link, used_at: now, revoked_at: now }, now)).toBe('used');
  });

  it('counts down the resend cool-down', () => {
    const sent = new Date('2026-12-04T10:00:00Z');
    expect(resendWait(sent, 30, new Date('2026-12-04T10:00:10Z'))).toBe(20);
    expect(resendWait(sent, 30, new Date('2026-12-04T10:00:31Z'))).toBe(0);
  });
});
