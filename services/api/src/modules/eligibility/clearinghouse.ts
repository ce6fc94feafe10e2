import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../core/config';

/**
 * HTTP to the clearinghouse (the simulator locally): the CAQH CORE Phase II real-time envelope as an
 * application/x-www-form-urlencoded POST with a hard timeout. Returns the answer's envelope fields; what they mean
 * is the service's call.
 */
export const CORE_RULE_VERSION = '2.2.0';
export const PAYLOAD_270 = 'X12_270_Request_005010X279A1';

export class ClearinghouseTimeout extends Error {}
export class ClearinghouseUnreachable extends Error {}

export interface CoreAnswer {
  status: number;
  fields: Record<string, string>;
}

async function decode(r: Response): Promise<Record<string, string>> {
  const type = r.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await r.formData();
    const out: Record<string, string> = {};
    for (const [k, v] of form.entries()) out[k] = typeof v === 'string' ? v : await v.text();
    return out;
  }
  const text = await r.text();
  return type.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : {};
}

export async function postRealtime(cfg: AppConfig['eligibility'], payload: string, now: Date): Promise<CoreAnswer> {
  const body = new URLSearchParams({
    PayloadType: PAYLOAD_270,
    ProcessingMode: 'RealTime',
    PayloadID: randomUUID(),
    TimeStamp: now.toISOString(),
    SenderID: cfg.senderId,
    ReceiverID: cfg.receiverId,
    CORERuleVersion: CORE_RULE_VERSION,
    UserName: cfg.user,
    Password: cfg.password,
    Payload: payload,
  });
  try {
    const r = await fetch(`${cfg.clearinghouseUrl}/core/realtime`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
    return { status: r.status, fields: await decode(r) };
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new ClearinghouseTimeout(`no answer within ${cfg.timeoutMs} ms`);
    throw new ClearinghouseUnreachable(e.message);
  }
}
