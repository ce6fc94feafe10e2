import type { AppConfig } from '../../core/config';

/**
 * HTTP to the Surescripts network (the simulator locally): SCRIPT XML over POST with HTTP basic auth and a hard
 * timeout. Returns what came back; deciding what it means is the caller's job.
 */
export interface NetworkAnswer {
  status: number;
  body: string;
}
export class NetworkUnreachable extends Error {}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function postScript(erx: AppConfig['erx'], xml: string): Promise<NetworkAnswer> {
  try {
    const r = await fetch(`${erx.surescriptsUrl}/script`, {
      method: 'POST',
      body: xml,
      signal: AbortSignal.timeout(erx.timeoutMs),
      headers: { 'content-type': 'application/xml; charset=utf-8', authorization: basic(erx.user, erx.password) },
    });
    return { status: r.status, body: await r.text() };
  } catch (err) {
    const e = err as Error;
    throw new NetworkUnreachable(
      e.name === 'TimeoutError' ? `network timeout after ${erx.timeoutMs} ms` : `network unreachable: ${e.message}`,
    );
  }
}

export async function getDirectory(erx: AppConfig['erx'], query: URLSearchParams): Promise<NetworkAnswer> {
  try {
    const r = await fetch(`${erx.surescriptsUrl}/directory/pharmacies?${query}`, {
      signal: AbortSignal.timeout(erx.timeoutMs),
      headers: { authorization: basic(erx.user, erx.password) },
    });
    return { status: r.status, body: await r.text() };
  } catch (err) {
    throw new NetworkUnreachable(`network unreachable: ${(err as Error).message}`);
  }
}
