import { Alert, Button, Link, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { portalAccountsApi } from './portal-accounts-api';
import { PublicCard } from './PublicCard';

/** /forgot-password: asks for a reset link by username or email; the answer never says whether one exists. */
export function ForgotPasswordPage() {
  const [who, setWho] = useState('');
  const request = useMutation({
    mutationFn: () => {
      const v = who.trim();
      return portalAccountsApi.requestReset(v.includes('@') ? { email: v } : { username: v });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate();
  };
  return (
    <PublicCard title="Forgot your password?">
      {request.isSuccess ? (
        <Stack spacing={2}>
          <Alert severity="success" role="status">
            If a portal account matches, we have sent a link to its email or mobile phone on file. The link works once
            and expires in 30 minutes.
          </Alert>
          <Link component={RouterLink} to="/login">
            Back to sign in
          </Link>
        </Stack>
      ) : (
        <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Request a password reset">
          <Typography>
            Patient portal accounts: enter your username or email address. Staff accounts are reset by an administrator.
          </Typography>
          <TextField
            label="Username or email"
            name="who"
            autoComplete="username"
            value={who}
            required
            autoFocus
            onChange={(e) => setWho(e.target.value)}
          />
          <ErrorAlert error={request.error} />
          <Button type="submit" variant="contained" disabled={request.isPending || !who.trim()}>
            {request.isPending ? 'Sending…' : 'Send me a reset link'}
          </Button>
          <Link component={RouterLink} to="/login" variant="body2">
            Back to sign in
          </Link>
        </Stack>
      )}
    </PublicCard>
  );
}
