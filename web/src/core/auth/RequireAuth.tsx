import { Alert, Box, CircularProgress } from '@mui/material';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';
import { canAll } from './permissions';

/** Route guard: signed in, and holding every listed permission (else a clear "not allowed" message). */
export function RequireAuth({ children, permissions = [] }: { children: ReactNode; permissions?: readonly string[] }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'restoring') {
    return <Box sx={{ display: 'flex', justifyContent: 'center', p: 6 }}><CircularProgress aria-label="Restoring your session" /></Box>;
  }
  if (status === 'anonymous' || !user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!canAll(user, permissions)) {
    return <Alert severity="warning" role="alert">Your role ({user.role}) does not allow this page.</Alert>;
  }
  return <>{children}</>;
}
