/** The Surescripts simulator the stack under test talks to (scripts/e2e.sh names it), and its admin credentials. */
export const SURESCRIPTS_URL = process.env.E2E_SURESCRIPTS_URL ?? 'http://127.0.0.1:8091';
export const SURESCRIPTS_AUTH = `Basic ${Buffer.from(
  `${process.env.SURESCRIPTS_USER ?? 'wintehr-ehr'}:${process.env.SURESCRIPTS_PASSWORD ?? 'dev-surescripts-secret'}`,
).toString('base64')}`;

/** Has the simulator (as a pharmacy would) send a request about an earlier message: RxRenewalRequest, RxChangeRequest… */
export async function originate(type: string, relatesToMessageId: string): Promise<void> {
  const res = await fetch(`${SURESCRIPTS_URL}/admin/originate`, {
    method: 'POST',
    headers: { authorization: SURESCRIPTS_AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ type, relatesToMessageId }),
  });
  if (res.status !== 200) throw new Error(`simulator originate ${type} → ${res.status} ${await res.text()}`);
}

/** Polls until fn gives a value (asynchronous outcomes: eRx acknowledgements, batched audit writes). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
