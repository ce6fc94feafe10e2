import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpFor } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 0, 1, 12, 0, 15);

  it('accepts the current code and reports its step', () => {
    const code = totpFor(secret, 'u').generate({ timestamp: now });
    expect(matchTotp(secret, code, now)).toBe(Math.floor(now / 30_000));
  });

  it('accepts the previous step within the window, and refuses older ones', () => {
    const prev = totpFor(secret, 'u').generate({ timestamp: now - 30_000 });
    expect(matchTotp(secret, prev, now)).toBe(Math.floor(now / 30_000) - 1);
    const old = totpFor(secret, 'u').generate({ timestamp: now - 120_000 });
    expect(matchTotp(secret, old, now)).toBeUndefined();
  });

  it('refuses malformed codes', () => {
    expect(matchTotp(secret, '12345', now)).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', now)).toBeUndefined();
  });

  it('makes distinct recovery codes and hashes them case-insensitively', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(hashRecoveryCode(codes[0]!.toUpperCase())).toBe(hashRecoveryCode(codes[0]!));
  });
});
