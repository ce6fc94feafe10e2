import { Alert, Button, Link, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink, useLocation } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields';
import { tokenFromSearch } from './password-hints';
import { portalAccountsApi } from './portal-accounts-api';
import { PublicCard, SignInNextCard } from './PublicCard';

/** /portal/activate?token=…: the patient chooses a username and password from the invitation link. */
export function ActivatePage() {
  const token = tokenFromSearch(useLocation().search);
  const [username, setUsername] = useState('');
  const pw = useNewPassword();
  const activate = useMutation({ mutationFn: () => portalAccountsApi.activate(token, username.trim(), pw.password) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pw.mismatch) activate.mutate();
  };

  if (activate.data)
    return (
      <SignInNextCard title="Your portal account is ready">
        Welcome, {activate.data.displayName}. Sign in as <strong>{activate.data.username}</strong>; we will send a code
        to your email or phone each time.
      </SignInNextCard>
    );

  return (
    <PublicCard title="Set up your patient portal account">
      {!token ? (
        <Alert severity="error">This link is incomplete. Open the link from your invitation again.</Alert>
      ) : (
        <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Activate your account">
          <Typography>Choose the username and password you will sign in with.</Typography>
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            value={username}
            required
            autoFocus
            helperText="3–64 characters: letters, digits, dot, dash or underscore"
            onChange={(e) => setUsername(e.target.value)}
          />
          <NewPasswordFields state={pw} label="Password" repeatLabel="Repeat the password" />
          <ErrorAlert error={activate.error} />
          <Button type="submit" variant="contained" disabled={activate.isPending || !username || !pw.ready}>
            {activate.isPending ? 'Activating…' : 'Activate my account'}
          </Button>
          <Link component={RouterLink} to="/login" variant="body2">
            I already have an account
          </Link>
        </Stack>
      )}
    </PublicCard>
  );
}
