import { Alert, Button, Paper, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { session } from '../../core/auth/session';
import { formatDateTime } from '../../core/format';
import { PageHeader } from '../../core/ui/states';
import { MfaEnrollment } from './MfaEnrollment';
import { StepUpDialog } from '../../core/auth/StepUpDialog';
import { SessionsSection } from './SessionsSection';

/**
 * The signed-in user's second factor (enrol when off; a step-up check to try it when on) and sessions. For a
 * patient it is the portal's "Sign-in & security": sign-in codes already come by email or text message.
 */
export function AccountSecurityPage() {
  const { user, reloadUser } = useAuth();
  const [enrolling, setEnrolling] = useState(false);
  const [stepUp, setStepUp] = useState(false);
  const [verifiedAt, setVerifiedAt] = useState<number>();
  if (!user) return null;
  return (
    <>
      <PageHeader title={user.role === 'patient' ? 'Sign-in & security' : 'Account security'} />
      {user.role === 'patient' && !user.mfaEnabled && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Each sign-in asks for a code sent to your email or mobile phone on file. You can also use an authenticator app
          instead.
        </Alert>
      )}
      <Paper sx={{ p: 3 }}>
        <Stack spacing={2}>
          <Typography variant="h6" component="h2">
            Two-step verification
          </Typography>
          {user.mfaEnabled ? (
            <>
              <Alert severity="success">Two-step verification is on for {user.username}.</Alert>
              <Typography>
                Sensitive actions such as signing controlled-substance prescriptions ask for a fresh code.
              </Typography>
              <div>
                <Button variant="outlined" onClick={() => setStepUp(true)}>
                  Test a fresh verification
                </Button>
              </div>
              {verifiedAt && (
                <Alert severity="success" role="status">
                  Verified at {formatDateTime(new Date(verifiedAt * 1000).toISOString())}.
                </Alert>
              )}
              <StepUpDialog
                open={stepUp}
                reason="Confirm it is you."
                onClose={() => setStepUp(false)}
                onVerified={(r) => {
                  setStepUp(false);
                  setVerifiedAt(r.mfaAt);
                }}
              />
            </>
          ) : enrolling ? (
            <MfaEnrollment
              onDone={async (r) => {
                session.set(r);
                await reloadUser();
                setEnrolling(false);
              }}
            />
          ) : user.role === 'patient' ? (
            <div>
              <Button variant="outlined" onClick={() => setEnrolling(true)}>
                Use an authenticator app
              </Button>
            </div>
          ) : (
            <>
              <Alert severity="warning">Two-step verification is off. Turn it on to protect this account.</Alert>
              <div>
                <Button variant="contained" onClick={() => setEnrolling(true)}>
                  Set up two-step verification
                </Button>
              </div>
            </>
          )}
        </Stack>
      </Paper>
      <SessionsSection />
    </>
  );
}
