import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';

/** A patient's home is the portal; everyone else gets the page given. */
export function PortalHomeRedirect({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  if (user?.role === 'patient') return <Navigate to="/portal" replace />;
  return <>{children}</>;
}
