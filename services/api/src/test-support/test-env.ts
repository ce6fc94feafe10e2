/** URLs of the real services for integration tests; scripts/test.sh exports them. */
export function testEnv() {
  return {
    hapiBaseUrl: process.env.HAPI_BASE_URL ?? 'http://127.0.0.1:8080/fhir',
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://wintehr:wintehr@127.0.0.1:5432/wintehr_test',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/1',
  };
}

/** A per-run marker so tests find their own resources in a shared HAPI. */
export const RUN_ID = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
