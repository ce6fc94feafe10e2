import type { AppDeps } from '../../../services/api/src/core/deps';

/** One prescribe request of the fault run: its marker (in reasonCode.text), the phase it ran in, the answer. */
export interface Sent {
  marker: string;
  phase: string;
  /** HTTP status; -1 when no answer came (connection refused, timeout). */
  status: number;
  /** Time to the prescribe answer (the send to the pharmacy after it is not included). */
  ms: number;
  id?: string;
  /** The answer to "send to pharmacy" (the last of the user's tries), when the order was confirmed. */
  sendStatus?: number;
  error?: string;
}

export interface Stored {
  /** MedicationRequest ids in HAPI per marker. */
  byMarker: Map<string, string[]>;
  /** Ids with an audit record of the prescription. */
  audited: Set<string>;
  /** NewRx messages per MedicationRequest id (our outbox) and whether the network accepted each. */
  newRx: Map<string, { sent: number; accepted: number }>;
  /** MessageIDs the network (simulator) accepted, with how many times each arrived. */
  networkAccepted: number;
}

export interface Outcome {
  confirmed: number;
  lost: number;
  duplicated: number;
  lines: string[];
}

/**
 * Lost and duplicated prescriptions, from what the API answered and what the stores hold — pure, so the rules are
 * unit-tested: a confirmed (201) order must be in HAPI exactly once, audited, and sent to the network exactly once;
 * an order the API refused must not be there at all (a half-written one) — counted apart, as "written though refused".
 */
export function judge(sent: readonly Sent[], s: Stored): Outcome {
  const confirmed = sent.filter((x) => x.status === 201);
  const missing = confirmed.filter((x) => !(s.byMarker.get(x.marker)?.length ?? 0));
  const twice = sent.filter((x) => (s.byMarker.get(x.marker)?.length ?? 0) > 1);
  const ids = confirmed.map((x) => x.id).filter((id): id is string => Boolean(id));
  const unaudited = ids.filter((id) => !s.audited.has(id));
  // Only a send the API confirmed (202) must reach the network; one refused (409 already sent, 503) need not.
  const confirmedSends = confirmed.filter((x) => x.id && x.sendStatus === 202).map((x) => x.id!);
  const unsent = confirmedSends.filter((id) => !(s.newRx.get(id)?.accepted ?? 0));
  const sentTwice = ids.filter((id) => (s.newRx.get(id)?.sent ?? 0) > 1);
  const refusedButWritten = sent.filter((x) => x.status !== 201 && (s.byMarker.get(x.marker)?.length ?? 0) > 0);
  const lost = missing.length + unaudited.length + unsent.length;
  const duplicated = twice.length + sentTwice.length;

  const phases = [...new Set(sent.map((x) => x.phase))];
  const lines = [
    '| phase | requests | 201 | 503 | other 4xx | 500 | no answer | p95 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of phases) {
    const xs = sent.filter((x) => x.phase === p);
    const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
    const p95 = ms[Math.max(0, Math.ceil(ms.length * 0.95) - 1)] ?? 0;
    const n = (f: (x: Sent) => boolean) => xs.filter(f).length;
    lines.push(
      `| ${p} | ${xs.length} | ${n((x) => x.status === 201)} | ${n((x) => x.status === 503)} | ${n((x) => x.status >= 400 && x.status < 500)} | ${n((x) => x.status >= 500 && x.status !== 503)} | ${n((x) => x.status === -1)} | ${p95} |`,
    );
  }
  lines.push(
    '',
    `confirmed prescriptions: ${confirmed.length}; in HAPI: ${confirmed.length - missing.length}; audited: ${ids.length - unaudited.length}; sends confirmed: ${confirmedSends.length}, accepted by the network: ${confirmedSends.length - unsent.length} (network ledger: ${s.networkAccepted} messages)`,
    `written though refused (the client was told it failed): ${refusedButWritten.length}`,
    `lost = ${lost} (missing in HAPI ${missing.length}, unaudited ${unaudited.length}, never sent ${unsent.length})`,
    `duplicated = ${duplicated} (written twice ${twice.length}, sent twice ${sentTwice.length})`,
  );
  return { confirmed: confirmed.length, lost, duplicated, lines };
}

/** Reads the stores (HAPI by requester, the audit trail, the eRx outbox, the simulator's ledger) and judges. */
export async function countOutcomes(
  deps: AppDeps,
  practitionerId: string,
  sent: readonly Sent[],
  network: { simulatorUrl: string; auth: string },
): Promise<Outcome & { text: string }> {
  const byMarker = new Map<string, string[]>();
  const mrs = await deps.fhir.searchAll('MedicationRequest', {
    requester: `Practitioner/${practitionerId}`,
    _count: 500,
  });
  for (const mr of mrs) {
    const marker = mr.reasonCode?.[0]?.text;
    if (marker && mr.id) byMarker.set(marker, [...(byMarker.get(marker) ?? []), mr.id]);
  }
  const ids = mrs.map((m) => m.id!).filter(Boolean);
  const audited = new Set(
    (
      await deps.pg.query<{ resource_id: string }>(
        `SELECT DISTINCT resource_id FROM audit_log WHERE action = 'medication.prescribe' AND outcome = 'success' AND resource_id = ANY($1)`,
        [ids],
      )
    ).rows.map((r) => r.resource_id),
  );
  const newRx = new Map<string, { sent: number; accepted: number }>();
  const rows = await deps.pg.query<{ medication_request_id: string; status: string }>(
    `SELECT medication_request_id, status FROM erx_messages WHERE direction = 'outbound' AND type = 'NewRx' AND medication_request_id = ANY($1)`,
    [ids],
  );
  for (const r of rows.rows) {
    const e = newRx.get(r.medication_request_id) ?? { sent: 0, accepted: 0 };
    e.sent += 1;
    if (r.status === 'accepted' || r.status === 'sent') e.accepted += 1;
    newRx.set(r.medication_request_id, e);
  }
  const stats = (await (
    await fetch(`${network.simulatorUrl}/admin/stats`, { headers: { authorization: network.auth } })
  ).json()) as { accepted: number };
  const outcome = judge(sent, { byMarker, audited, newRx, networkAccepted: stats.accepted });
  return { ...outcome, text: ['', ...outcome.lines].join('\n') };
}
