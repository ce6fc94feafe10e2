import type { CurrentUser } from './types';

export function can(user: Pick<CurrentUser, 'permissions'> | undefined, permission: string): boolean {
  return !!user && user.permissions.includes(permission);
}

export function canAll(user: Pick<CurrentUser, 'permissions'> | undefined, permissions: readonly string[]): boolean {
  return permissions.every((p) => can(user, p));
}
