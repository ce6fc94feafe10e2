import type { CurrentUser } from '../auth/types';

export interface NavItem { to: string; label: string; icon: NavIcon; permission?: string; staffOnly?: boolean }
export type NavIcon = 'home' | 'patients' | 'users' | 'audit' | 'breakGlass' | 'security';

const ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', icon: 'home' },
  { to: '/patients', label: 'Patients', icon: 'patients', permission: 'patient:read', staffOnly: true },
  { to: '/admin/users', label: 'Users', icon: 'users', permission: 'user:manage' },
  { to: '/admin/audit', label: 'Audit trail', icon: 'audit', permission: 'audit:view' },
  { to: '/admin/break-glass', label: 'Break-glass review', icon: 'breakGlass', permission: 'break-glass:review' },
  { to: '/account/security', label: 'Account security', icon: 'security' },
];

/** The navigation a user sees: only the places their permissions open. */
export function navItemsFor(user: Pick<CurrentUser, 'role' | 'permissions'>): NavItem[] {
  return ITEMS.filter((i) => (!i.permission || user.permissions.includes(i.permission)) && (!i.staffOnly || user.role !== 'patient'));
}
