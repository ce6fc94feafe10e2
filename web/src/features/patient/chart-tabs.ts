import { mayAccess } from '../../core/auth/access';
import type { CurrentUser } from '../../core/auth/types';

/** The chart's sections, each with the permission its API endpoints demand. */
export const CHART_TABS = [
  { id: 'summary', label: 'Summary', permission: 'patient:read' },
  { id: 'problems', label: 'Problems', permission: 'patient:read' },
  { id: 'medications', label: 'Medications', permission: 'medication:view' },
  { id: 'mar', label: 'MAR', permission: 'medication:view' },
  { id: 'allergies', label: 'Allergies', permission: 'patient:read' },
  { id: 'vitals', label: 'Vitals', permission: 'patient:read' },
  { id: 'immunizations', label: 'Immunizations', permission: 'patient:read' },
  { id: 'social', label: 'Social history', permission: 'patient:read' },
  { id: 'results', label: 'Results', permission: 'results:view' },
  { id: 'imaging', label: 'Imaging', permission: 'imaging:view' },
  { id: 'notes', label: 'Notes', permission: 'document:read' },
  { id: 'orders', label: 'Orders', permission: 'order:view' },
  { id: 'timeline', label: 'Timeline', permission: 'patient:read' },
  { id: 'apps', label: 'Apps', permission: 'smart:launch' },
] as const;
export type ChartTab = (typeof CHART_TABS)[number]['id'];
export type ChartTabDef = (typeof CHART_TABS)[number];

/** The tabs a role can use: the others are hidden, never shown to end in a raw permission error. */
export function chartTabsFor(user: Pick<CurrentUser, 'role' | 'permissions'> | undefined): ChartTabDef[] {
  return CHART_TABS.filter((t) => mayAccess(user, { permissions: [t.permission] }));
}

/** The tab a chart URL names (/patients/:id/<tab>), if this user can use it; else the first usable one. */
export function tabForPath(pathname: string, tabs: readonly ChartTabDef[]): ChartTab | undefined {
  const wanted = pathname.split('/')[3];
  return (tabs.find((t) => t.id === wanted) ?? tabs[0])?.id;
}
