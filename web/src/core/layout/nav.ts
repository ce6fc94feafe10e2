import { mayAccess, type AccessRule } from '../auth/access';
import { ROUTE_ACCESS } from '../auth/route-access';
import type { CurrentUser } from '../auth/types';
import type { PortalArea } from '@wintehr/contracts';

/** `access`: the same rule as the route it leads to (route-access.ts), so a link never leads to a refusal. */
export interface NavItem {
  to: string;
  label: string;
  icon: NavIcon;
  access: AccessRule;
  /** Highlighted only on this exact path (a section whose pages live below it have their own entries). */
  exact?: boolean;
  /** A portal page a proxy's tier may not open (a parent of a 12–17 year old): left out of the menu then. */
  portalArea?: PortalArea;
}
export type NavIcon =
  | 'home'
  | 'patients'
  | 'users'
  | 'audit'
  | 'breakGlass'
  | 'security'
  | 'pharmacyQueue'
  | 'imagingWorklist'
  | 'inventory'
  | 'controlledLog'
  | 'smartApps'
  | 'inbasket'
  | 'schedule'
  | 'portalRecord'
  | 'portalResults'
  | 'portalMessages'
  | 'portalInsurance'
  | 'portalAccessLog'
  | 'portalDownload';

const ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', icon: 'home', access: ROUTE_ACCESS.home },
  { to: '/patients', label: 'Patients', icon: 'patients', access: ROUTE_ACCESS.patients },
  { to: '/schedule', label: 'Schedule', icon: 'schedule', access: ROUTE_ACCESS.schedule },
  { to: '/inbasket', label: 'In-basket', icon: 'inbasket', access: ROUTE_ACCESS.inbasket },
  { to: '/admin/users', label: 'Users', icon: 'users', access: ROUTE_ACCESS.users },
  { to: '/admin/audit', label: 'Audit trail', icon: 'audit', access: ROUTE_ACCESS.audit },
  { to: '/admin/break-glass', label: 'Break-glass review', icon: 'breakGlass', access: ROUTE_ACCESS.breakGlassReview },
  { to: '/admin/smart-clients', label: 'SMART apps', icon: 'smartApps', access: ROUTE_ACCESS.smartClients },
  { to: '/pharmacy/queue', label: 'Dispense queue', icon: 'pharmacyQueue', access: ROUTE_ACCESS.pharmacy },
  {
    to: '/imaging/worklist',
    label: 'Imaging worklist',
    icon: 'imagingWorklist',
    access: ROUTE_ACCESS.imagingWorklist,
  },
  { to: '/pharmacy/inventory', label: 'Pharmacy inventory', icon: 'inventory', access: ROUTE_ACCESS.pharmacy },
  {
    to: '/pharmacy/controlled-substances',
    label: 'Controlled-substance log',
    icon: 'controlledLog',
    access: ROUTE_ACCESS.pharmacy,
  },
  { to: '/portal', label: 'My record', icon: 'portalRecord', access: ROUTE_ACCESS.portal, exact: true },
  {
    to: '/portal/results',
    label: 'Test results',
    icon: 'portalResults',
    access: ROUTE_ACCESS.portal,
    portalArea: 'results',
  },
  {
    to: '/portal/messages',
    label: 'Messages and refills',
    icon: 'portalMessages',
    access: ROUTE_ACCESS.portal,
    portalArea: 'messages',
  },
  {
    to: '/portal/appointments',
    label: 'Appointments',
    icon: 'schedule',
    access: ROUTE_ACCESS.portal,
    portalArea: 'appointments',
  },
  {
    to: '/portal/insurance',
    label: 'Insurance',
    icon: 'portalInsurance',
    access: ROUTE_ACCESS.portal,
    portalArea: 'coverage',
  },
  {
    to: '/portal/access-log',
    label: 'Who opened my chart',
    icon: 'portalAccessLog',
    access: ROUTE_ACCESS.portal,
    portalArea: 'access-log',
  },
  {
    to: '/portal/download',
    label: 'Download my record',
    icon: 'portalDownload',
    access: ROUTE_ACCESS.portal,
    portalArea: 'download',
  },
  { to: '/account/security', label: 'Account security', icon: 'security', access: ROUTE_ACCESS.accountSecurity },
];

/**
 * The navigation a user sees: only the places their role and permissions open, and — while a portal user acts for
 * someone — only the portal pages that proxy's tier allows.
 */
export function navItemsFor(
  user: Pick<CurrentUser, 'role' | 'permissions'>,
  portalAllows: (area: PortalArea) => boolean = () => true,
): NavItem[] {
  return ITEMS.filter((i) => mayAccess(user, i.access) && (!i.portalArea || portalAllows(i.portalArea)));
}
