import { ConfigError, loadConfig, PRODUCTION_REQUIRED } from './config';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    expect(c.hapi.baseUrl).toBe('http://127.0.0.1:8080/fhir');
    expect(c.corsOrigins).toContain('http://localhost:8000');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses and normalises values', () => {
    const c = loadConfig({
      PORT: '9000',
      HAPI_BASE_URL: 'http://hapi:8080/fhir/',
      CORS_ORIGINS: 'https://a.org, https://b.org',
      DEMO_MODE: 'false',
    });
    expect(c.port).toBe(9000);
    expect(c.hapi.baseUrl).toBe('http://hapi:8080/fhir');
    expect(c.corsOrigins).toEqual(['https://a.org', 'https://b.org']);
    expect(c.demoMode).toBe(false);
  });

  it("refuses a production start on the simulators' defaults, naming each missing setting", () => {
    const all: Record<string, string> = Object.fromEntries(
      PRODUCTION_REQUIRED.map((k) => [k, k.endsWith('URL') ? 'https://x.example' : 'set-for-prod']),
    );
    const prod = {
      ...all,
      SMTP_PORT: '587',
      SMS_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      SMS_FROM: '+15550100',
      NODE_ENV: 'production',
    };
    expect(loadConfig(prod).env).toBe('production');
    const without: Record<string, string> = { ...prod };
    delete without.SMS_AUTH_TOKEN;
    delete without.SURESCRIPTS_URL;
    expect(() => loadConfig(without)).toThrow(ConfigError);
    expect(() => loadConfig(without)).toThrow(/SURESCRIPTS_URL: required in production[\s\S]*SMS_AUTH_TOKEN: required/);
    expect(() => loadConfig({ ...prod, SMTP_HOST: '  ' })).toThrow(/SMTP_HOST/);
    expect(loadConfig({}).env).toBe('development'); // a developer needs none of them
  });

  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HAPI_BASE_URL: 'not a url' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    }
  });

  it('budgets logins per user (10) and, much larger, per client address (300) by default', () => {
    const c = loadConfig({});
    expect(c.auth).toMatchObject({ ratePerUser: 10, ratePerIp: 300 });
  });

  it('reads TRUST_PROXY: off by default, a hop count, or proxy addresses and ranges; never "true"', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '::1/129', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('reads the clinic time zone (UTC by default), refusing one the platform does not know', () => {
    expect(loadConfig({}).clinical.timeZone).toBe('UTC');
    expect(loadConfig({ CLINIC_TIME_ZONE: 'America/Chicago' }).clinical.timeZone).toBe('America/Chicago');
    expect(() => loadConfig({ CLINIC_TIME_ZONE: 'Mars/Olympus' })).toThrow(/CLINIC_TIME_ZONE/);
  });
});
