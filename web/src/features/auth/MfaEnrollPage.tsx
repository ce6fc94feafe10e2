import { Alert, Box, Container, Paper, Typography } from '@mui/material';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { MfaEnrollment } from './MfaEnrollment';

/** Enrolment required at login (MFA mandatory for the role): the token came from the login answer. */
export function MfaEnrollPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const state = useLocation().state as { enrollmentToken?: string; username?: string } | null;
  if (!state?.enrollmentToken) return <Navigate to="/login" replace />;
  return (
    <Box component="main" id="main-content" sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: 6 }}>
      <Container maxWidth="sm">
        <Paper sx={{ p: 4 }}>
          <Typography variant="h4" component="h1" gutterBottom>
            Set up two-step verification
          </Typography>
          <Alert severity="info" sx={{ mb: 2 }}>
            Your role requires a second factor. Finish enrolment to sign in
            {state.username ? ` as ${state.username}` : ''}.
          </Alert>
          <MfaEnrollment
            enrollmentToken={state.enrollmentToken}
            onDone={async (r) => {
              await signIn(r);
              navigate('/', { replace: true });
            }}
          />
        </Paper>
      </Container>
    </Box>
  );
}
