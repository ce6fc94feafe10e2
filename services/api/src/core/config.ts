import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { FHIR_ID_RE } from './fhir/fhir-kit';

/**
 * Configuration is read from the environment once, validated, and frozen. Every default is the local
 * stack's, so `npm start` needs no environment at all; production sets these through k8s/ or compose.
 */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

/** An address or CIDR range, or one of express's named ranges (proxy-addr). */
function isTrustedRange(x: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(x)) return true;
  const [addr = '', prefix, extra] = x.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * express's 'trust proxy': which peers may state the client address in X-Forwarded-For. Off by default (the
 * header is ignored: any client could forge it); a hop count or the proxies' addresses/ranges behind a
 * load balancer. `true` (trust every hop) is refused: it lets a client pick the address it is limited by.
 */
const TrustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((v, ctx): false | number | string[] => {
    if (v === '' || v === 'false' || v === '0') return false;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = list.filter((x) => !isTrustedRange(x));
    if (v === 'true' || bad.length || !list.length) {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDR ranges (loopback, linklocal, uniquelocal allowed)${v === 'true' ? '; true would trust a forged X-Forwarded-For' : `; invalid: ${bad.join(', ') || v}`}`,
      });
      return z.NEVER;
    }
    return list;
  });

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
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://wintehr:wintehr@127.0.0.1:5432/wintehr'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  /** How long a cached chart view may live when no write invalidated it (0 turns the chart cache off). */
  CHART_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  CORS_ORIGINS: csv.default(['http://localhost:8000', 'http://localhost:5173']),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'like 1mb or 512kb')
    .default('1mb'),
  WEB_DIST_DIR: z.string().optional(),
  DEMO_MODE: bool.default(true),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Where locally generated keys are persisted when no key is given in the environment. */
  KEYS_DIR: z.string().default(path.resolve(__dirname, '../../../../.data/keys')),
  JWT_PRIVATE_JWK: z.string().optional(),
  MFA_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 32 bytes as hex')
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(30 * 86_400)
    .default(8 * 3600),
  MFA_REQUIRED_ROLES: csv.default([]),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Per client address: large, because a whole clinic can sit behind one NAT address (the per-user budget stops guessing). */
  LOGIN_RATE_PER_IP: z.coerce.number().int().min(1).default(300),
  LOGIN_RATE_PER_USER: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: TrustProxy,
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  WINTEHR_DEMO_PASSWORD: z
    .string()
    .min(12, 'demo password must be at least 12 characters')
    .default('Wintehr-Demo-2026!'),
  /** CDS Hooks clients trusted to call /cds-services: JSON [{ "iss", "jwksUrl" } | { "iss", "jwks": {keys:[...]} }]. */
  CDS_TRUSTED_CLIENTS: z
    .string()
    .default('[]')
    .transform((s, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(s);
      } catch {
        json = undefined;
      }
      const r = z
        .array(
          z
            .object({
              iss: z.string().min(1),
              jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
              jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
            })
            .refine((c) => !!c.jwksUrl !== !!c.jwks, 'give exactly one of jwksUrl or jwks'),
        )
        .safeParse(json);
      if (!r.success) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON array of {iss, jwksUrl | jwks}: ${r.error.issues[0]?.message ?? 'invalid JSON'}`,
        });
        return z.NEVER;
      }
      return r.data;
    }),
  /** Per-call timeout when a CDS service fetches missing prefetch data from the client's fhirServer. */
  /** FHIR bases the CDS services may fetch missing prefetch from (comma-separated; default this façade's /fhir; '*' = any). */
  CDS_FHIR_SERVERS: z.string().optional(),
  CDS_FHIR_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  SMART_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  SMART_OFFLINE_REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * 86_400)
    .default(30 * 86_400),
  SMART_ONLINE_REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(86_400)
    .default(8 * 3600),
  /** Orders/results (modules/orders, modules/results). */
  ORDER_DUPLICATE_WINDOW_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
  RESULT_ACK_DEADLINE_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 1440)
    .default(30),
  RESULT_COVERING_PRACTITIONER_ID: z.string().regex(FHIR_ID_RE, 'a FHIR Practitioner id').optional(),
  /** E-prescribing (modules/eprescribing): the Surescripts network (simulator in dev) and its inbound credentials. */
  SURESCRIPTS_URL: z.url().default('http://127.0.0.1:8091'),
  SURESCRIPTS_USER: z.string().min(1).default('wintehr-ehr'),
  SURESCRIPTS_PASSWORD: z.string().min(8).default('dev-surescripts-secret'),
  SURESCRIPTS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ERX_INBOUND_USER: z.string().min(1).default('surescripts-network'),
  ERX_INBOUND_PASSWORD: z.string().min(8).default('dev-inbound-secret'),
  ERX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  ERX_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  ERX_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('erx-outbox'),
  /** Run the outbox worker in this process (default: yes, except NODE_ENV=test where tests start it). */
  ERX_WORKER: bool.optional(),
  /** Insurance eligibility (modules/eligibility): the X12 270/271 clearinghouse (simulator in dev), CAQH CORE real-time. */
  CLEARINGHOUSE_URL: z.url().default('http://127.0.0.1:8092'),
  CLEARINGHOUSE_USER: z.string().min(1).default('wintehr-ehr'),
  CLEARINGHOUSE_PASSWORD: z.string().min(8).default('dev-clearinghouse-secret'),
  /** ISA06 / ISA08: at most 15 characters each (fixed-width ISA fields). */
  CLEARINGHOUSE_SENDER_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,15}$/)
    .default('WINTEHR'),
  CLEARINGHOUSE_RECEIVER_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,15}$/)
    .default('CLEARHOUSE'),
  /** A front-desk answer must come back in seconds: CORE real-time allows 20 s, so no more than that. */
  CLEARINGHOUSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(15_000),
  /** The information receiver (NM1*1P) when the signed-in user has no NPI of their own: the organization's NPI. */
  ELIGIBILITY_PROVIDER_NPI: z
    .string()
    .regex(/^\d{10}$/, 'a 10-digit NPI')
    .default('1234567893'),
  ELIGIBILITY_PROVIDER_NAME: z.string().min(1).max(60).default('WINTEHR MEDICAL CENTER'),
  /** The nightly check of tomorrow's appointments: a five-field cron in CLINIC_TIME_ZONE, a few checks at once (the
   *  clearinghouse is a shared partner), scheduled here unless turned off (off under NODE_ENV=test: tests run it). */
  ELIGIBILITY_BATCH_CRON: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, 'a five-field cron expression such as "0 2 * * *"')
    .default('0 2 * * *'),
  ELIGIBILITY_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  ELIGIBILITY_BATCH: bool.optional(),
  /** What "today" and "tomorrow" mean for schedules and the nightly batch (IANA name; the demo data is written in UTC). */
  CLINIC_TIME_ZONE: z.string().refine(isTimeZone, 'an IANA time zone such as America/Chicago').default('UTC'),
  /** Medical imaging (modules/imaging): the Orthanc PACS behind /dicomweb, reached with HTTP basic auth. */
  ORTHANC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8042'),
  ORTHANC_USER: z.string().min(1).max(64).default('wintehr'),
  /** The password itself (compose/k8s secret), else read from ORTHANC_PASSWORD_FILE (scripts/orthanc.sh writes it). */
  ORTHANC_PASSWORD: z.string().min(8).optional(),
  ORTHANC_PASSWORD_FILE: z.string().min(1).default(path.resolve(__dirname, '../../../../.data/orthanc/password')),
  ORTHANC_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  IMAGING_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(4096).default(512),
  IMAGING_SHARE_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** Outgoing email (core/notify): an SMTP relay; the default is the local mail simulator. */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  SMTP_SECURE: bool.default(false),
  SMTP_FROM: z.string().min(3).default('WintEHR <no-reply@wintehr.local>'),
  // Empty means "no login" (compose passes an unset variable as ''), as for a relay that trusts the network.
  SMTP_USER: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  SMTP_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  /** Outgoing text messages (core/notify): a Twilio-compatible Messages API; the default is the local SMS simulator. */
  SMS_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8094'),
  SMS_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio account SID (AC + 32 hex digits)')
    .default('AC00000000000000000000000000000001'),
  SMS_AUTH_TOKEN: z.string().min(8).default('dev-sms-auth-token'),
  SMS_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number')
    .default('+15005550006'),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Patient portal accounts (modules/portal-accounts): invitation and reset link lifetimes, sign-in codes. */
  PORTAL_INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  PORTAL_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
  PORTAL_OTP_TTL_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  PORTAL_OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Future bookings one patient may hold through the portal. */
  APPOINTMENTS_MAX_UPCOMING: z.coerce.number().int().min(1).max(50).default(3),
  /** Hours before the start when online cancel/reschedule stops. */
  APPOINTMENTS_CANCEL_CUTOFF_HOURS: z.coerce.number().min(0).max(168).default(2),
  /** Days of free slots kept ahead. */
  APPOINTMENTS_HORIZON_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Keep the slot horizon topped up from this process (default: yes, except NODE_ENV=test where tests do it). */
  APPOINTMENTS_SLOT_SUPPLY: bool.optional(),
  /** Hours before the start when the reminder goes out. */
  APPOINTMENTS_REMINDER_HOURS: z.coerce.number().min(1).max(168).default(24),
  PORTAL_OTP_RESEND_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
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
  chartCache: Readonly<{ ttlSeconds: number }>;
  corsOrigins: readonly string[];
  bodyLimit: string;
  /** express 'trust proxy' (see TrustProxy): decides req.ip, which login rate limits and the audit trail use. */
  trustProxy: false | number | readonly string[];
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
  /** CDS Hooks services (modules/cds-hooks). */
  cds: Readonly<{
    trustedClients: readonly Readonly<{ iss: string; jwksUrl?: string; jwks?: { keys: Record<string, unknown>[] } }>[];
    fhirTimeoutMs: number;
    fhirServers: readonly string[];
  }>;
  /** SMART authorization server (modules/smart). */
  smart: Readonly<{ accessTokenTtl: number; offlineRefreshTtl: number; onlineRefreshTtl: number }>;
  /** CPOE and results (modules/orders, modules/results). */
  clinical: Readonly<{
    orderDuplicateWindowHours: number;
    resultAckDeadlineMinutes: number;
    coveringPractitionerId?: string;
    /** IANA time zone of the clinic (CLINIC_TIME_ZONE): what "today" and "tomorrow" mean. */
    timeZone: string;
  }>;
  /** E-prescribing over NCPDP SCRIPT (modules/eprescribing). */
  erx: Readonly<{
    surescriptsUrl: string;
    user: string;
    password: string;
    timeoutMs: number;
    inboundUser: string;
    inboundPassword: string;
    maxAttempts: number;
    backoffMs: number;
    worker: boolean;
    queue: string;
  }>;
  /** Insurance eligibility over X12 270/271 (modules/eligibility). */
  eligibility: Readonly<{
    clearinghouseUrl: string;
    user: string;
    password: string;
    senderId: string;
    receiverId: string;
    timeoutMs: number;
    providerNpi: string;
    providerName: string;
    /** The nightly check of tomorrow's appointments (BullMQ job scheduler). */
    batch: Readonly<{ cron: string; concurrency: number; enabled: boolean }>;
  }>;
  /** Medical imaging (modules/imaging): Orthanc and the upload / share limits. */
  imaging: Readonly<{
    orthancUrl: string;
    user: string;
    password?: string;
    passwordFile: string;
    timeoutMs: number;
    maxUploadBytes: number;
    shareTtlHours: number;
  }>;
  /** Outgoing email and text messages (core/notify). */
  notify: Readonly<{
    smtp: Readonly<{
      host: string;
      port: number;
      secure: boolean;
      from: string;
      user?: string;
      password?: string;
      timeoutMs: number;
    }>;
    sms: Readonly<{ baseUrl: string; accountSid: string; authToken: string; from: string; timeoutMs: number }>;
  }>;
  /** Patient portal accounts (modules/portal-accounts) and the patients' sign-in code. */
  portalAccounts: Readonly<{
    inviteTtlSeconds: number;
    resetTtlSeconds: number;
    otpTtlSeconds: number;
    otpMaxAttempts: number;
    otpResendSeconds: number;
  }>;
  /** Portal booking (modules/appointments). */
  appointments: Readonly<{
    maxUpcoming: number;
    cancelCutoffHours: number;
    horizonDays: number;
    slotSupply: boolean;
    reminderHours: number;
  }>;
}>;

export class ConfigError extends Error {}

/**
 * Settings whose local defaults point at this machine's simulators (eRx network, clearinghouse, mail and SMS) or their
 * development secrets. A production start without them would send prescriptions and patients' codes nowhere real,
 * so it is refused at start-up instead.
 */
export const PRODUCTION_REQUIRED = [
  'PUBLIC_BASE_URL',
  'SURESCRIPTS_URL',
  'SURESCRIPTS_USER',
  'SURESCRIPTS_PASSWORD',
  'ERX_INBOUND_USER',
  'ERX_INBOUND_PASSWORD',
  'CLEARINGHOUSE_URL',
  'CLEARINGHOUSE_USER',
  'CLEARINGHOUSE_PASSWORD',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_FROM',
  'SMS_BASE_URL',
  'SMS_ACCOUNT_SID',
  'SMS_AUTH_TOKEN',
  'SMS_FROM',
] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing = PRODUCTION_REQUIRED.filter((k) => !env[k]?.trim());
    if (missing.length)
      throw new ConfigError(
        `Invalid configuration: production needs the real outside services, not the local simulators' defaults:\n${missing.map((k) => `  ${k}: required in production`).join('\n')}`,
      );
  }
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
    chartCache: Object.freeze({ ttlSeconds: e.CHART_CACHE_TTL_SECONDS }),
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    bodyLimit: e.BODY_LIMIT,
    trustProxy: Array.isArray(e.TRUST_PROXY) ? Object.freeze([...e.TRUST_PROXY]) : e.TRUST_PROXY,
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
    cds: Object.freeze({
      trustedClients: Object.freeze([...e.CDS_TRUSTED_CLIENTS]),
      fhirTimeoutMs: e.CDS_FHIR_TIMEOUT_MS,
      fhirServers: Object.freeze(
        e.CDS_FHIR_SERVERS?.split(',')
          .map((x) => x.trim())
          .filter(Boolean) ?? [`${e.PUBLIC_BASE_URL.replace(/\/+$/, '')}/fhir`],
      ),
    }),
    smart: Object.freeze({
      accessTokenTtl: e.SMART_ACCESS_TOKEN_TTL_SECONDS,
      offlineRefreshTtl: e.SMART_OFFLINE_REFRESH_TTL_SECONDS,
      onlineRefreshTtl: e.SMART_ONLINE_REFRESH_TTL_SECONDS,
    }),
    clinical: Object.freeze({
      orderDuplicateWindowHours: e.ORDER_DUPLICATE_WINDOW_HOURS,
      resultAckDeadlineMinutes: e.RESULT_ACK_DEADLINE_MINUTES,
      coveringPractitionerId: e.RESULT_COVERING_PRACTITIONER_ID,
      timeZone: e.CLINIC_TIME_ZONE,
    }),
    erx: Object.freeze({
      surescriptsUrl: e.SURESCRIPTS_URL.replace(/\/+$/, ''),
      user: e.SURESCRIPTS_USER,
      password: e.SURESCRIPTS_PASSWORD,
      timeoutMs: e.SURESCRIPTS_TIMEOUT_MS,
      inboundUser: e.ERX_INBOUND_USER,
      inboundPassword: e.ERX_INBOUND_PASSWORD,
      maxAttempts: e.ERX_MAX_ATTEMPTS,
      backoffMs: e.ERX_BACKOFF_MS,
      worker: e.ERX_WORKER ?? e.NODE_ENV !== 'test',
      queue: e.ERX_QUEUE,
    }),
    eligibility: Object.freeze({
      clearinghouseUrl: e.CLEARINGHOUSE_URL.replace(/\/+$/, ''),
      user: e.CLEARINGHOUSE_USER,
      password: e.CLEARINGHOUSE_PASSWORD,
      senderId: e.CLEARINGHOUSE_SENDER_ID,
      receiverId: e.CLEARINGHOUSE_RECEIVER_ID,
      timeoutMs: e.CLEARINGHOUSE_TIMEOUT_MS,
      providerNpi: e.ELIGIBILITY_PROVIDER_NPI,
      providerName: e.ELIGIBILITY_PROVIDER_NAME,
      batch: Object.freeze({
        cron: e.ELIGIBILITY_BATCH_CRON,
        concurrency: e.ELIGIBILITY_BATCH_CONCURRENCY,
        enabled: e.ELIGIBILITY_BATCH ?? e.NODE_ENV !== 'test',
      }),
    }),
    imaging: Object.freeze({
      orthancUrl: e.ORTHANC_URL.replace(/\/+$/, ''),
      user: e.ORTHANC_USER,
      password: e.ORTHANC_PASSWORD,
      passwordFile: e.ORTHANC_PASSWORD_FILE,
      timeoutMs: e.ORTHANC_TIMEOUT_MS,
      maxUploadBytes: e.IMAGING_MAX_UPLOAD_MB * 1024 * 1024,
      shareTtlHours: e.IMAGING_SHARE_TTL_HOURS,
    }),
    notify: Object.freeze({
      smtp: Object.freeze({
        host: e.SMTP_HOST,
        port: e.SMTP_PORT,
        secure: e.SMTP_SECURE,
        from: e.SMTP_FROM,
        user: e.SMTP_USER,
        password: e.SMTP_PASSWORD,
        timeoutMs: e.NOTIFY_TIMEOUT_MS,
      }),
      sms: Object.freeze({
        baseUrl: e.SMS_BASE_URL.replace(/\/+$/, ''),
        accountSid: e.SMS_ACCOUNT_SID,
        authToken: e.SMS_AUTH_TOKEN,
        from: e.SMS_FROM,
        timeoutMs: e.NOTIFY_TIMEOUT_MS,
      }),
    }),
    portalAccounts: Object.freeze({
      inviteTtlSeconds: e.PORTAL_INVITE_TTL_HOURS * 3600,
      resetTtlSeconds: e.PORTAL_RESET_TTL_MINUTES * 60,
      otpTtlSeconds: e.PORTAL_OTP_TTL_MINUTES * 60,
      otpMaxAttempts: e.PORTAL_OTP_MAX_ATTEMPTS,
      otpResendSeconds: e.PORTAL_OTP_RESEND_SECONDS,
    }),
    appointments: Object.freeze({
      maxUpcoming: e.APPOINTMENTS_MAX_UPCOMING,
      cancelCutoffHours: e.APPOINTMENTS_CANCEL_CUTOFF_HOURS,
      horizonDays: e.APPOINTMENTS_HORIZON_DAYS,
      slotSupply: e.APPOINTMENTS_SLOT_SUPPLY ?? e.NODE_ENV !== 'test',
      reminderHours: e.APPOINTMENTS_REMINDER_HOURS,
    }),
  });
}
