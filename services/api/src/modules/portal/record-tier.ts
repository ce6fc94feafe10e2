import type { PortalRecord, PortalTier } from '@wintehr/contracts';
import { tierAllows } from '../proxy-access/portal-policy';

/**
 * The record as a tier may see it: sections outside the tier come back empty (and are named in `hidden`, so the
 * page leaves them out instead of saying "none recorded", which would be untrue).
 */
export function recordForTier(record: PortalRecord, tier: PortalTier): PortalRecord {
  if (tier !== 'limited') return record;
  const hidden: NonNullable<PortalRecord['hidden']> = [];
  const keep = <T>(area: NonNullable<PortalRecord['hidden']>[number], items: T[]): T[] => {
    if (tierAllows(tier, area)) return items;
    hidden.push(area);
    return [];
  };
  return {
    problems: keep('problems', record.problems),
    medications: keep('medications', record.medications),
    allergies: tierAllows(tier, 'allergies') ? record.allergies : { state: record.allergies.state, items: [] },
    immunizations: keep('immunizations', record.immunizations),
    vitals: keep('vitals', record.vitals),
    visits: keep('visits', record.visits),
    notes: keep('notes', record.notes),
    hidden,
  };
}
