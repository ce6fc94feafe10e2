import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { loadMfaKey, loadSigningKey } from './keys';

describe('locally generated keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wintehr-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two app instances starting together on a fresh checkout end up with one signing key', async () => {
    const config = loadConfig({ KEYS_DIR: dir });
    const keys = await Promise.all([loadSigningKey(config), loadSigningKey(config), loadSigningKey(config)]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect((await loadSigningKey(config)).kid).toBe(keys[0]!.kid);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the MFA key that is already on disk', () => {
    const config = loadConfig({ KEYS_DIR: dir });
    const first = loadMfaKey(config);
    expect(first).toHaveLength(32);
    expect(loadMfaKey(config).equals(first)).toBe(true);
  });
});
