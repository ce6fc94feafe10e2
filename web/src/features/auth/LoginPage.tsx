import { Alert, Box, Button, Container, Link, Paper, Stack, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { Navigate, Link as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import { authApi } from '../../core/auth/auth-api';
import { useAuth } from '../../core/auth/AuthContext';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { OtpStep, type OtpChallenge } from './OtpStep';
import { useBusyAction } from './use-busy-action';

type Step = { kind: 'password' } | { kind: 'mfa'; mfaToken: string } | { kind: 'otp'; challenge: OtpChallenge };

/**
 * Sign-in: password, then (when enabled) a TOTP code or a one-time recovery code; patient accounts get a code by
 * email or text message instead.
 */
export function LoginPage() {
  const { status, signIn, notice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const { busy, error, setError, run } = useBusyAction();

  if (status === 'authenticated') return <Navigate to={from} replace />;

  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const result = await authApi.login(username, password);
      setPassword('');
      if (result.status === 'authenticated') {
        await signIn(result);
        navigate(from, { replace: true });
      } else if (result.status === 'mfa_required') {
        setStep({ kind: 'mfa', mfaToken: result.mfaToken });
      } else if (result.status === 'otp_required') {
        setStep({ kind: 'otp', challenge: result });
      } else {
        // The enrolment token stays in memory (router state), never in storage.
        navigate('/mfa/enroll', { state: { enrollmentToken: result.enrollmentToken, username: result.user.username } });
      }
    });
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind !== 'mfa') return;
    void run(async () => {
      const second = useRecovery ? { recoveryCode: code.trim().toLowerCase() } : { code: code.trim() };
      const result = await authApi.loginMfa(step.mfaToken, second);
      if (result.status !== 'authenticated') throw new Error('Unexpected answer from the server');
      await signIn(result);
      navigate(from, { replace: true });
    });
  };

  return (
    <Box
      component="main"
      id="main-content"
      sx={{ minHeight: '100vh', bgcolor: 'grey.100', display: 'flex', alignItems: 'center' }}
    >
      <Container maxWidth="xs">
        <Paper sx={{ p: 4 }}>
          <Typography variant="h4" component="h1" gutterBottom>
            WintEHR
          </Typography>
          {step.kind === 'password' ? (
            <Box component="form" onSubmit={submitPassword} noValidate aria-label="Sign in">
              <Stack spacing={2}>
                <Typography variant="h6" component="h2">
                  Sign in
                </Typography>
                {notice && <Alert severity="info">{notice}</Alert>}
                <TextField
                  label="Username"
                  name="username"
                  autoComplete="username"
                  value={username}
                  required
                  autoFocus
                  onChange={(e) => setUsername(e.target.value)}
                />
                <TextField
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  required
                  onChange={(e) => setPassword(e.target.value)}
                />
                <ErrorAlert error={error} />
                <Button type="submit" variant="contained" disabled={busy || !username || !password}>
                  {busy ? 'Signing in…' : 'Sign in'}
                </Button>
                <Link component={RouterLink} to="/forgot-password" variant="body2">
                  Forgot your password? (patient portal)
                </Link>
              </Stack>
            </Box>
          ) : step.kind === 'otp' ? (
            <OtpStep
              challenge={step.challenge}
              onAuthenticated={async (r) => {
                await signIn(r);
                navigate(from, { replace: true });
              }}
              onRestart={() => {
                setStep({ kind: 'password' });
                setError(undefined);
              }}
            />
          ) : (
            <Box component="form" onSubmit={submitCode} noValidate aria-label="Second factor">
              <Stack spacing={2}>
                <Typography variant="h6" component="h2">
                  Two-step verification
                </Typography>
                <Typography>
                  {useRecovery
                    ? 'Enter one of your unused recovery codes.'
                    : 'Enter the 6-digit code from your authenticator app.'}
                </Typography>
                {useRecovery ? (
                  <TextField
                    key="recovery"
                    label="Recovery code"
                    name="recoveryCode"
                    autoComplete="off"
                    value={code}
                    required
                    autoFocus
                    placeholder="xxxx-xxxx-xxxx-xxxx"
                    onChange={(e) => setCode(e.target.value)}
                  />
                ) : (
                  <TextField
                    key="totp"
                    label="Authentication code"
                    name="code"
                    autoComplete="one-time-code"
                    value={code}
                    required
                    autoFocus
                    slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6 } }}
                    onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                  />
                )}
                <ErrorAlert error={error} />
                <Button type="submit" variant="contained" disabled={busy || !code}>
                  {busy ? 'Verifying…' : 'Verify'}
                </Button>
                <Link
                  component="button"
                  type="button"
                  onClick={() => {
                    setUseRecovery(!useRecovery);
                    setCode('');
                    setError(undefined);
                  }}
                >
                  {useRecovery ? 'Use an authenticator code instead' : 'Use a recovery code instead'}
                </Link>
                <Link
                  component="button"
                  type="button"
                  onClick={() => {
                    setStep({ kind: 'password' });
                    setCode('');
                    setError(undefined);
                  }}
                >
                  Start over
                </Link>
              </Stack>
            </Box>
          )}
        </Paper>
      </Container>
    </Box>
  );
}
