import { Box, Button, CircularProgress, Paper, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link as RouterLink, Navigate, useLocation } from 'react-router-dom';
import { mayAccess, type AccessRule } from './access';
import { ROLE_LABELS, type CurrentUser } from './types';

export type SessionStatus = 'restoring' | 'anonymous' | 'authenticated';

/** Shown instead of a page the role may not use: no page shell is rendered, so nothing of it loads. */
export function NotAvailable({ user }: { user: Pick<CurrentUser, 'role'> }) {
  return (
    <Paper
      component="section"
      aria-labelledby="not-available-title"
      sx={{ p: 3, maxWidth: 640 }}
      data-testid="not-available"
    >
      <Typography id="not-available-title" variant="h5" component="h1" gutterBottom>
        This page is not available for your role
      </Typography>
      <Typography color="text.secondary" gutterBottom>
        You are signed in as {ROLE_LABELS[user.role] ?? user.role}. If you need this page for your work, ask an
        administrator.
      </Typography>
      <Button variant="contained" component={RouterLink} to="/" sx={{ mt: 1 }}>
        Go to home
      </Button>
    </Paper>
  );
}

/**
 * The route guard, given the session: restoring → a spinner; signed out → the login page (coming back here
 * afterwards); signed in without the access the rule asks → "not available for your role".
 */
export function RouteGuard({
  status,
  user,
  rule = {},
  children,
}: {
  status: SessionStatus;
  user?: CurrentUser;
  rule?: AccessRule;
  children: ReactNode;
}) {
  const location = useLocation();
  if (status === 'restoring') {
    return (
      <Box sx={{ display: 'flex', justifyContent: 'center', p: 6 }}>
        <CircularProgress aria-label="Restoring your session" />
      </Box>
    );
  }
  if (status === 'anonymous' || !user)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!mayAccess(user, rule)) return <NotAvailable user={user} />;
  return <>{children}</>;
}
