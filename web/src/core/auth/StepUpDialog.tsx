import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { authApi } from './auth-api';
import { session } from './session';
import type { StepUpResult } from './types';
import { ErrorAlert } from '../ui/ErrorAlert';

/**
 * Asks for a fresh TOTP code before a sensitive action (EPCS signing). On success the session's access
 * token is replaced by the stepped-up one (its mfa_at is now), so the next request carries the proof.
 */
export function StepUpDialog({
  open,
  reason,
  onClose,
  onVerified,
}: {
  open: boolean;
  reason: string;
  onClose: () => void;
  onVerified: (r: StepUpResult) => void;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    authApi
      .stepUp(code)
      .then((r) => {
        session.set({ accessToken: r.accessToken, expiresIn: r.expiresIn });
        setCode('');
        onVerified(r);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="step-up-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="step-up-title">Verify it is you</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {reason} Enter the current code from your authenticator app.
          </DialogContentText>
          <TextField
            label="Authentication code"
            name="stepUpCode"
            autoComplete="one-time-code"
            value={code}
            required
            autoFocus
            fullWidth
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
          <ErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy || code.length !== 6}>
            {busy ? 'Verifying…' : 'Verify'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
