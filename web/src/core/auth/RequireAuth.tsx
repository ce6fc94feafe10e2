import type { ReactNode } from 'react';
import type { AccessRule } from './access';
import { useAuth } from './AuthContext';
import { RouteGuard } from './RouteGuard';

/** Route guard: signed in, and allowed by the rule (permissions, role, staff only); see RouteGuard. */
export function RequireAuth({ children, ...rule }: AccessRule & { children: ReactNode }) {
  const { status, user } = useAuth();
  return (
    <RouteGuard status={status} user={user} rule={rule}>
      {children}
    </RouteGuard>
  );
}
