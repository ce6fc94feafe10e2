import { z } from 'zod';

/**
 * The CAQH CORE Phase II connectivity envelope (real-time, HTTP form or MIME multipart), field names as the
 * rule spells them. Only the real-time 270 request is accepted; answers carry a 271, TA1 or 999.
 */
export const PAYLOAD_TYPES = {
  request270: 'X12_270_Request_005010X279A1',
  response271: 'X12_271_Response_005010X279A1',
  ta1: 'X12_TA1_Response_00501X231A1',
  ack999: 'X12_999_Response_005010X231A1',
} as const;
export const CORE_RULE_VERSION = '2.2.0';

export const CoreRequest = z.object({
  PayloadType: z
    .string({ error: 'PayloadTypeRequired' })
    .min(1, 'PayloadTypeRequired')
    .refine((v) => v === PAYLOAD_TYPES.request270, 'PayloadTypeIncorrect'),
  ProcessingMode: z
    .string({ error: 'ProcessingModeRequired' })
    .min(1, 'ProcessingModeRequired')
    .refine((v) => v === 'RealTime', 'ProcessingModeIncorrect'),
  PayloadID: z.string({ error: 'PayloadIDRequired' }).min(1, 'PayloadIDRequired').max(50, 'PayloadIDIncorrect'),
  TimeStamp: z
    .string({ error: 'TimeStampRequired' })
    .min(1, 'TimeStampRequired')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'TimeStampIncorrect'),
  SenderID: z.string({ error: 'SenderIDRequired' }).min(1, 'SenderIDRequired').max(50, 'SenderIDIncorrect'),
  ReceiverID: z.string({ error: 'ReceiverIDRequired' }).min(1, 'ReceiverIDRequired').max(50, 'ReceiverIDIncorrect'),
  CORERuleVersion: z
    .string({ error: 'CORERuleVersionRequired' })
    .min(1, 'CORERuleVersionRequired')
    .refine((v) => v === CORE_RULE_VERSION, 'VersionMismatch'),
  UserName: z.string().optional(),
  Password: z.string().optional(),
  Payload: z.string({ error: 'PayloadRequired' }).min(1, 'PayloadRequired').max(200_000, 'PayloadIncorrect'),
});
export type CoreRequest = z.infer<typeof CoreRequest>;

export interface CoreResponse {
  PayloadType: string;
  ProcessingMode: 'RealTime';
  PayloadID: string;
  TimeStamp: string;
  SenderID: string;
  ReceiverID: string;
  CORERuleVersion: string;
  Payload: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** The answer in the form the request came in: multipart for multipart, URL-encoded otherwise. */
export async function encodeResponse(
  fields: Record<string, string>,
  multipart: boolean,
): Promise<{ contentType: string; body: Buffer }> {
  if (!multipart)
    return {
      contentType: 'application/x-www-form-urlencoded',
      body: Buffer.from(new URLSearchParams(fields).toString()),
    };
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  // The platform's own multipart encoder (boundary and all), rather than a hand-written one.
  const r = new Response(form);
  return { contentType: r.headers.get('content-type')!, body: Buffer.from(await r.arrayBuffer()) };
}

/** Reads a form-encoded or multipart body into plain fields; files are read as text (Payload may be sent as a part). */
export async function decodeRequest(contentType: string, raw: Buffer): Promise<Record<string, string>> {
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
    const out: Record<string, string> = {};
    for (const [k, v] of form.entries()) out[k] = typeof v === 'string' ? v : await v.text();
    return out;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}
