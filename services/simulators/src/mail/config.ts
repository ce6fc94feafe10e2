import { z } from 'zod';

/** The mail simulator: an SMTP server that keeps what it receives, and an HTTP inbox for tests (like MailHog). */
const Env = z.object({
  MAIL_HOST: z.string().default('127.0.0.1'),
  MAIL_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8093),
  MAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /** Messages kept in memory; the oldest are dropped past this. */
  MAIL_MAX_MESSAGES: z.coerce.number().int().min(1).max(100_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface MailConfig {
  host: string;
  port: number;
  smtpPort: number;
  maxMessages: number;
  logLevel: string;
}

export function loadMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const r = Env.safeParse(env);
  if (!r.success)
    throw new Error(
      `Invalid mail simulator configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = r.data;
  return {
    host: e.MAIL_HOST,
    port: e.MAIL_HTTP_PORT,
    smtpPort: e.MAIL_SMTP_PORT,
    maxMessages: e.MAIL_MAX_MESSAGES,
    logLevel: e.LOG_LEVEL,
  };
}
