/**
 * Duplicate-order detection (pure): an active or completed order for the same code and patient placed within the
 * window is a likely duplicate. It is a warning, not a block: repeats are sometimes intended (serial troponins).
 */
const LIVE = new Set(['active', 'on-hold', 'draft', 'completed']);

export function findDuplicateOrders(
  existing: readonly fhir4.ServiceRequest[],
  o: { system: string; code: string; now: Date; windowHours: number },
): fhir4.ServiceRequest[] {
  if (o.windowHours <= 0) return [];
  const since = o.now.getTime() - o.windowHours * 3_600_000;
  return existing.filter(
    (sr) =>
      LIVE.has(sr.status) &&
      sr.code?.coding?.some((c) => c.system === o.system && c.code === o.code) &&
      sr.authoredOn !== undefined &&
      Date.parse(sr.authoredOn) >= since &&
      Date.parse(sr.authoredOn) <= o.now.getTime() + 60_000,
  );
}
