import type { CurrentUser, Permission, Role } from './types';

/**
 * Who may reach a place in the app (a route, a navigation entry, a chart tab). Mirrors the API's checks so
 * the app never shows a page shell the API would refuse; the API still refuses on its own.
 * `permissions`: all of them; `anyPermission`: one suffices (where the API accepts either);
 * `roles`: the place is one role's workplace; `staffOnly`: never for portal patients, whatever their permissions.
 */
export interface AccessRule {
  permissions?: readonly Permission[];
  anyPermission?: readonly Permission[];
  roles?: readonly Role[];
  staffOnly?: boolean;
}

export function mayAccess(user: Pick<CurrentUser, 'role' | 'permissions'> | undefined, rule: AccessRule): boolean {
  if (!user) return false;
  return (
    (rule.permissions ?? []).every((p) => user.permissions.includes(p)) &&
    (!rule.anyPermission || rule.anyPermission.some((p) => user.permissions.includes(p))) &&
    (!rule.roles || rule.roles.includes(user.role)) &&
    (!rule.staffOnly || user.role !== 'patient')
  );
}
