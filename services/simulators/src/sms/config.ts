import { z } from 'zod';

/** The SMS provider simulator (Twilio Messages API wire format). Credentials pair with the API's SMS_* settings. */
const Env = z.object({
  SMS_HOST: z.string().default('127.0.0.1'),
  SMS_PORT: z.coerce.number().int().min(0).max(65535).default(8094),
  SMS_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/)
    .default('AC00000000000000000000000000000001'),
  SMS_AUTH_TOKEN: z.string().min(8).default('dev-sms-auth-token'),
  SMS_MAX_MESSAGES: z.coerce.number().int().min(1).max(100_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface SmsConfig {
  host: string;
  port: number;
  accountSid: string;
  authToken: string;
  maxMessages: number;
  logLevel: string;
}

export function loadSmsConfig(env: NodeJS.ProcessEnv = process.env): SmsConfig {
  const r = Env.safeParse(env);
  if (!r.success)
    throw new Error(
      `Invalid SMS simulator configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = r.data;
  return {
    host: e.SMS_HOST,
    port: e.SMS_PORT,
    accountSid: e.SMS_ACCOUNT_SID,
    authToken: e.SMS_AUTH_TOKEN,
    maxMessages: e.SMS_MAX_MESSAGES,
    logLevel: e.LOG_LEVEL,
  };
}
