import { PORTAL_AREAS, type PortalArea, type PortalTier } from '@wintehr/contracts';

/**
 * Which portal areas each tier reaches. A limited proxy (parent of a 12–17 year old) sees what a parent needs to
 * arrange care and pay for it — allergies, immunizations, visits and appointments, insurance, and messaging the care
 * team — but not what adolescents are entitled to keep confidential: notes, results, problems, medications (and so
 * refill requests), vital signs, who opened the chart, or the full record download.
 */
const LIMITED: ReadonlySet<PortalArea> = new Set<PortalArea>([
  'record',
  'allergies',
  'immunizations',
  'visits',
  'appointments',
  'coverage',
  'messages',
  'requests',
]);

export function areasFor(tier: PortalTier): PortalArea[] {
  return tier === 'limited' ? PORTAL_AREAS.filter((a) => LIMITED.has(a)) : [...PORTAL_AREAS];
}

export function tierAllows(tier: PortalTier, area: PortalArea): boolean {
  return tier !== 'limited' || LIMITED.has(area);
}
