import { Alert, Button, Stack } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useLocation } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields';
import { tokenFromSearch } from './password-hints';
import { portalAccountsApi } from './portal-accounts-api';
import { PublicCard, SignInNextCard } from './PublicCard';

/** /portal/reset-password?token=…: a new password from the emailed or texted link; every session is signed out. */
export function ResetPasswordPage() {
  const token = tokenFromSearch(useLocation().search);
  const pw = useNewPassword();
  const reset = useMutation({ mutationFn: () => portalAccountsApi.completeReset(token, pw.password) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pw.mismatch) reset.mutate();
  };
  if (reset.data)
    return (
      <SignInNextCard title="Password changed">
        Your password was changed and you were signed out everywhere. Sign in with the new password.
      </SignInNextCard>
    );
  return (
    <PublicCard title="Choose a new password">
      {!token ? (
        <Alert severity="error">This link is incomplete. Open the link from the message again.</Alert>
      ) : (
        <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Choose a new password">
          <NewPasswordFields state={pw} label="New password" repeatLabel="Repeat the new password" autoFocus />
          <ErrorAlert error={reset.error} />
          <Button type="submit" variant="contained" disabled={reset.isPending || !pw.ready}>
            {reset.isPending ? 'Saving…' : 'Set the new password'}
          </Button>
        </Stack>
      )}
    </PublicCard>
  );
}
