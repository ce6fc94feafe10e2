import { Alert, Box, Button, Link, Stack, TextField, Typography } from '@mui/material';
import type { LoginResult, OtpChannel, OtpDestination } from '@wintehr/contracts';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { otpApi } from './otp-api';
import { useBusyAction } from './use-busy-action';

export type OtpChallenge = Extract<LoginResult, { status: 'otp_required' }>;

const channelWord = (c: OtpChannel) => (c === 'email' ? 'email' : 'text message');

/** The second sign-in step of a patient account: the 6-digit code sent by email or text message. */
export function OtpStep({
  challenge,
  onAuthenticated,
  onRestart,
}: {
  challenge: OtpChallenge;
  onAuthenticated: (r: Extract<LoginResult, { status: 'authenticated' }>) => Promise<void>;
  onRestart: () => void;
}) {
  const [code, setCode] = useState('');
  const [dest, setDest] = useState<OtpDestination>({ channel: challenge.channel, sentTo: challenge.sentTo });
  const [notice, setNotice] = useState<string>();
  const action = useBusyAction();
  const { busy, error } = action;
  const other = challenge.channels.find((c) => c.channel !== dest.channel);

  const run = (fn: () => Promise<void>) => {
    setNotice(undefined);
    return action.run(fn);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await otpApi.verify(challenge.otpToken, code.trim());
      if (r.status !== 'authenticated') throw new Error('Unexpected answer from the server');
      await onAuthenticated(r);
    });
  };

  const resend = (channel?: OtpChannel) =>
    void run(async () => {
      const r = await otpApi.resend(challenge.otpToken, channel);
      setDest({ channel: r.channel, sentTo: r.sentTo });
      setCode('');
      setNotice(`A new code was sent by ${channelWord(r.channel)} to ${r.sentTo}.`);
    });

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Sign-in code">
      <Stack spacing={2}>
        <Typography variant="h6" component="h2">
          Enter your sign-in code
        </Typography>
        <Typography>
          We sent a 6-digit code by {channelWord(dest.channel)} to <strong>{dest.sentTo}</strong>. It expires in{' '}
          {Math.round(challenge.expiresIn / 60)} minutes.
        </Typography>
        {notice && (
          <Alert severity="info" role="status">
            {notice}
          </Alert>
        )}
        <TextField
          label="Sign-in code"
          name="code"
          autoComplete="one-time-code"
          value={code}
          required
          autoFocus
          slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6 } }}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
        <ErrorAlert error={error} />
        <Button type="submit" variant="contained" disabled={busy || code.length !== 6}>
          {busy ? 'Verifying…' : 'Verify'}
        </Button>
        <Link component="button" type="button" onClick={() => resend()} disabled={busy}>
          Send a new code
        </Link>
        {other && (
          <Link component="button" type="button" onClick={() => resend(other.channel)} disabled={busy}>
            Send it by {channelWord(other.channel)} to {other.sentTo} instead
          </Link>
        )}
        <Link component="button" type="button" onClick={onRestart}>
          Start over
        </Link>
      </Stack>
    </Box>
  );
}
