import { ConfigError, loadConfig } from '../../core/config';

describe('eligibility configuration', () => {
  it('defaults to the local clearinghouse simulator', () => {
    expect(loadConfig({}).eligibility).toEqual({
      clearinghouseUrl: 'http://127.0.0.1:8092',
      user: 'wintehr-ehr',
      password: 'dev-clearinghouse-secret',
      senderId: 'WINTEHR',
      receiverId: 'CLEARHOUSE',
      timeoutMs: 15_000,
      providerNpi: '1234567893',
      providerName: 'WINTEHR MEDICAL CENTER',
      batch: { cron: '0 2 * * *', concurrency: 4, enabled: true },
    });
  });

  it('runs the nightly batch except under test unless asked, and refuses a malformed cron or concurrency', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).eligibility.batch.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', ELIGIBILITY_BATCH: 'true' }).eligibility.batch.enabled).toBe(true);
    expect(() => loadConfig({ ELIGIBILITY_BATCH_CRON: 'at two' })).toThrow(/ELIGIBILITY_BATCH_CRON/);
    expect(() => loadConfig({ ELIGIBILITY_BATCH_CONCURRENCY: '0' })).toThrow(/ELIGIBILITY_BATCH_CONCURRENCY/);
  });

  it('normalises the URL and refuses a timeout over 20 s or an ISA id over 15 characters', () => {
    expect(
      loadConfig({ CLEARINGHOUSE_URL: 'https://ch.example/', CLEARINGHOUSE_TIMEOUT_MS: '20000' }).eligibility,
    ).toMatchObject({ clearinghouseUrl: 'https://ch.example', timeoutMs: 20_000 });
    expect(() => loadConfig({ CLEARINGHOUSE_TIMEOUT_MS: '20001' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLEARINGHOUSE_SENDER_ID: 'A'.repeat(16) })).toThrow(/CLEARINGHOUSE_SENDER_ID/);
    expect(() => loadConfig({ ELIGIBILITY_PROVIDER_NPI: '12345' })).toThrow(/ELIGIBILITY_PROVIDER_NPI/);
  });
});
