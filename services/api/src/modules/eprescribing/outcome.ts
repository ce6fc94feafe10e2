import { ERROR_CODES, parseScriptXml, ScriptParseError } from './ncpdp';
import type { NetworkAnswer } from './transport';

/**
 * What one delivery attempt's answer means for the outbox. Pure.
 *  - accepted: Status (000/010 or any non-error) or Verify: the network took it.
 *  - rejected: an Error the sender cannot fix by retrying (900, 601 ...): final, with the reason.
 *  - retry:    5xx/408/429, a lost acknowledgement, an Error 600/602 (communication problem, system error),
 *              or an unreadable 2xx body: the same MessageID is sent again later (the network de-duplicates).
 *  - fatal:    the network refused our credentials (401/403): retrying with the same configuration cannot help.
 */
export type Outcome =
  | { kind: 'accepted'; code: string; messageType: string }
  | { kind: 'rejected'; code: string; reason: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'fatal'; reason: string };

const RETRIABLE_ERRORS = new Set<string>([ERROR_CODES.COMMUNICATION_PROBLEM, ERROR_CODES.RECEIVER_SYSTEM_ERROR]);

export function classifyAnswer(a: NetworkAnswer): Outcome {
  if (a.status === 401 || a.status === 403)
    return { kind: 'fatal', reason: `network refused our credentials (HTTP ${a.status})` };
  if (a.status >= 500 || a.status === 408 || a.status === 429)
    return { kind: 'retry', reason: `network HTTP ${a.status}` };
  let msg;
  try {
    msg = parseScriptXml(a.body);
  } catch (e) {
    if (a.status >= 400) return { kind: 'rejected', code: String(a.status), reason: `network HTTP ${a.status}` };
    return { kind: 'retry', reason: `unreadable answer: ${e instanceof ScriptParseError ? e.message : 'parse error'}` };
  }
  if (msg.type === 'Error') {
    const s = msg.status;
    const reason = [s.code, s.descriptionCode].filter(Boolean).join('/') + (s.description ? `: ${s.description}` : '');
    return RETRIABLE_ERRORS.has(s.code)
      ? { kind: 'retry', reason: `network error ${reason}` }
      : { kind: 'rejected', code: s.code, reason };
  }
  if (msg.type === 'Status' || msg.type === 'Verify')
    return { kind: 'accepted', code: msg.status.code, messageType: msg.type };
  if (a.status >= 400) return { kind: 'rejected', code: String(a.status), reason: `network HTTP ${a.status}` };
  return { kind: 'accepted', code: '000', messageType: msg.type };
}
