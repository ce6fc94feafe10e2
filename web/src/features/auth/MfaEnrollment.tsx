import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Alert, Box, Button, Checkbox, FormControlLabel, Paper, Stack, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { authApi } from '../../core/auth/auth-api';
import type { EnrollmentDone, EnrollmentStart } from '../../core/auth/types';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';

/**
 * TOTP enrolment: QR code and secret, confirmation with a first code, then the recovery codes, shown once.
 * Works with the restricted enrolment token from login or with the signed-in session.
 */
export function MfaEnrollment({
  enrollmentToken,
  onDone,
}: {
  enrollmentToken?: string;
  onDone: (result: EnrollmentDone) => Promise<void> | void;
}) {
  const [start, setStart] = useState<EnrollmentStart>();
  const [startError, setStartError] = useState<unknown>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<EnrollmentDone>();
  const [saved, setSaved] = useState(false);

  // Each start makes the server replace the pending secret, so only the newest answer may be shown: an older one
  // (React's development double effect, a retry) would display a QR code the server no longer accepts.
  const latest = useRef(0);
  const begin = useCallback(() => {
    const call = ++latest.current;
    setStartError(undefined);
    authApi.startEnrollment(enrollmentToken).then(
      (r) => {
        if (call === latest.current) setStart(r);
      },
      (err: unknown) => {
        if (call === latest.current) setStartError(err);
      },
    );
  }, [enrollmentToken]);
  const begun = useRef<string | undefined | null>(null);
  useEffect(() => {
    // Start once per token: a second mount of the same component (StrictMode) must not start a second enrolment.
    if (begun.current === (enrollmentToken ?? '')) return;
    begun.current = enrollmentToken ?? '';
    begin();
  }, [enrollmentToken, begin]);

  const activate = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    authApi
      .activateEnrollment(code, enrollmentToken)
      .then((r) => {
        setDone(r);
        setStart(undefined);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  if (done) {
    return (
      <Stack spacing={2}>
        <Alert severity="success">Two-step verification is on.</Alert>
        <Typography variant="h6" component="h2">
          Your recovery codes
        </Typography>
        <Typography>
          Each code signs you in once if you lose your authenticator. They are shown only now: store them somewhere
          safe.
        </Typography>
        <Paper
          variant="outlined"
          sx={{ p: 2, fontFamily: 'monospace', columnCount: { xs: 1, sm: 2 } }}
          data-testid="recovery-codes"
        >
          {done.recoveryCodes.map((c) => (
            <div key={c}>{c}</div>
          ))}
        </Paper>
        <Box>
          <Button
            startIcon={<ContentCopyIcon />}
            onClick={() => void navigator.clipboard?.writeText(done.recoveryCodes.join('\n'))}
          >
            Copy codes
          </Button>
        </Box>
        <FormControlLabel
          control={<Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} />}
          label="I have stored my recovery codes"
        />
        <Box>
          <Button variant="contained" disabled={!saved} onClick={() => void onDone(done)}>
            Continue
          </Button>
        </Box>
      </Stack>
    );
  }
  if (startError) return <ErrorAlert error={startError} title="Enrolment could not start" onRetry={begin} />;
  if (!start) return <LoadingState label="Preparing enrolment…" />;
  return (
    <Stack spacing={2} component="form" onSubmit={activate} noValidate aria-label="Activate two-step verification">
      <Typography>
        1. Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…).
      </Typography>
      <Box
        component="img"
        src={start.qrCodeDataUrl}
        alt="QR code for your authenticator app"
        sx={{ width: 200, height: 200, alignSelf: 'flex-start' }}
      />
      <Typography>Or enter this key by hand:</Typography>
      <Box
        component="code"
        data-testid="totp-secret"
        sx={{
          fontSize: '1.1rem',
          letterSpacing: 1,
          wordBreak: 'break-all',
          bgcolor: 'grey.100',
          p: 1,
          borderRadius: 1,
        }}
      >
        {start.secret}
      </Box>
      <Typography>2. Enter the 6-digit code the app shows.</Typography>
      <TextField
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        value={code}
        required
        slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        sx={{ maxWidth: 240 }}
      />
      <ErrorAlert error={error} />
      <Box>
        <Button type="submit" variant="contained" disabled={busy || code.length !== 6}>
          {busy ? 'Activating…' : 'Activate'}
        </Button>
      </Box>
    </Stack>
  );
}
