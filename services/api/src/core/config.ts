import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration is read from the environment once, validated, and frozen. Every default is the local
 * stack's, so `npm start` needs no environment at all; production sets these through k8s/ or compose.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  PUBLIC_BASE_URL: z.url().default('http://localhost:8000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HAPI_BASE_URL: z.url().default('http://127.0.0.1:8080/fhir'),
  HAPI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  HAPI_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  HAPI_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(64),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://wintehr:wintehr@127.0.0.1:5432/wintehr'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  CORS_ORIGINS: csv.default(['http://localhost:8000', 'http://localhost:5173']),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'like 1mb or 512kb').default('1mb'),
  WEB_DIST_DIR: z.string().optional(),
  DEMO_MODE: bool.default(true),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Where locally generated keys are persisted when no key is given in the environment. */
  KEYS_DIR: z.string().default(path.resolve(__dirname, '../../../../.data/keys')),
  JWT_PRIVATE_JWK: z.string().optional(),
  MFA_ENCRYPTION_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 32 bytes as hex').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).max(30 * 86_400).default(8 * 3600),
  MFA_REQUIRED_ROLES: csv.default([]),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOGIN_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_RATE_PER_USER: z.coerce.number().int().min(1).default(10),
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  WINTEHR_DEMO_PASSWORD: z.string().min(12, 'demo password must be at least 12 characters').default('Wintehr-Demo-2026!'),
});

export type AppConfig = Readonly<{
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicBaseUrl: string;
  logLevel: string;
  hapi: Readonly<{ baseUrl: string; timeoutMs: number; retries: number; connections: number }>;
  database: Readonly<{ url: string; poolSize: number }>;
  redis: Readonly<{ url: string }>;
  corsOrigins: readonly string[];
  bodyLimit: string;
  webDistDir?: string;
  demoMode: boolean;
  shutdownGraceMs: number;
  keysDir: string;
  jwtPrivateJwk?: string;
  mfaEncryptionKey?: string;
  auth: Readonly<{
    accessTokenTtl: number;
    refreshTokenTtl: number;
    mfaRequiredRoles: readonly string[];
    maxFailures: number;
    lockMinutes: number;
    ratePerIp: number;
    ratePerUser: number;
    stepUpMaxAge: number;
  }>;
  demoPassword: string;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    hapi: Object.freeze({
      baseUrl: e.HAPI_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: e.HAPI_TIMEOUT_MS,
      retries: e.HAPI_RETRIES,
      connections: e.HAPI_CONNECTIONS,
    }),
    database: Object.freeze({ url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }),
    redis: Object.freeze({ url: e.REDIS_URL }),
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    bodyLimit: e.BODY_LIMIT,
    webDistDir: e.WEB_DIST_DIR,
    demoMode: e.DEMO_MODE,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    keysDir: e.KEYS_DIR,
    jwtPrivateJwk: e.JWT_PRIVATE_JWK,
    mfaEncryptionKey: e.MFA_ENCRYPTION_KEY,
    auth: Object.freeze({
      accessTokenTtl: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtl: e.REFRESH_TOKEN_TTL_SECONDS,
      mfaRequiredRoles: Object.freeze([...e.MFA_REQUIRED_ROLES]),
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      ratePerIp: e.LOGIN_RATE_PER_IP,
      ratePerUser: e.LOGIN_RATE_PER_USER,
      stepUpMaxAge: e.STEP_UP_MAX_AGE_SECONDS,
    }),
    demoPassword: e.WINTEHR_DEMO_PASSWORD,
  });
}
