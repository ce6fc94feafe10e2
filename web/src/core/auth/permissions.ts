import type { CurrentUser, Permission } from './types';

export function can(user: Pick<CurrentUser, 'permissions'> | undefined, permission: Permission): boolean {
  return !!user && user.permissions.includes(permission);
}

export function canAll(
  user: Pick<CurrentUser, 'permissions'> | undefined,
  permissions: readonly Permission[],
): boolean {
  return permissions.every((p) => can(user, p));
}
