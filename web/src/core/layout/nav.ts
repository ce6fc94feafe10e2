import type { CurrentUser, Role } from '../auth/types';

/** `anyPermission`: one of them suffices (where the API accepts either); `roles`: a place that is one role's workplace. */
export interface NavItem { to: string; label: string; icon: NavIcon; permission?: string; anyPermission?: readonly string[]; roles?: readonly Role[]; staffOnly?: boolean }
export type NavIcon = 'home' | 'patients' | 'users' | 'audit' | 'breakGlass' | 'security' | 'pharmacyQueue' | 'inventory' | 'controlledLog' | 'smartApps';

const ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', icon: 'home' },
  { to: '/patients', label: 'Patients', icon: 'patients', permission: 'patient:read', staffOnly: true },
  { to: '/admin/users', label: 'Users', icon: 'users', permission: 'user:manage' },
  { to: '/admin/audit', label: 'Audit trail', icon: 'audit', permission: 'audit:view' },
  { to: '/admin/break-glass', label: 'Break-glass review', icon: 'breakGlass', permission: 'break-glass:review' },
  { to: '/admin/smart-clients', label: 'SMART apps', icon: 'smartApps', anyPermission: ['system:config', 'user:manage'] },
  { to: '/pharmacy/queue', label: 'Dispense queue', icon: 'pharmacyQueue', permission: 'medication:dispense', roles: ['pharmacist'] },
  { to: '/pharmacy/inventory', label: 'Pharmacy inventory', icon: 'inventory', permission: 'medication:dispense', roles: ['pharmacist'] },
  { to: '/pharmacy/controlled-substances', label: 'Controlled-substance log', icon: 'controlledLog', permission: 'medication:dispense', roles: ['pharmacist'] },
  { to: '/account/security', label: 'Account security', icon: 'security' },
];

/** The navigation a user sees: only the places their permissions open. */
export function navItemsFor(user: Pick<CurrentUser, 'role' | 'permissions'>): NavItem[] {
  return ITEMS.filter((i) => (!i.permission || user.permissions.includes(i.permission)) && (!i.staffOnly || user.role !== 'patient')
    && (!i.anyPermission || i.anyPermission.some((p) => user.permissions.includes(p))) && (!i.roles || i.roles.includes(user.role)));
}
