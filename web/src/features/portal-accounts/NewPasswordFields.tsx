import { TextField } from '@mui/material';
import { useState } from 'react';
import { PASSWORD_HINT } from './password-hints';

/**
 * A new password typed twice (activation and reset): the pair's state, whether it is complete, and the two fields.
 * `ready` only when both are filled in and equal; the repeat field says so while they differ.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && confirm !== password;
  return { password, setPassword, confirm, setConfirm, mismatch, ready: !!password && confirm === password };
}

export function NewPasswordFields({
  state,
  label,
  repeatLabel,
  autoFocus,
}: {
  state: ReturnType<typeof useNewPassword>;
  label: string;
  repeatLabel: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        label={label}
        name="password"
        type="password"
        autoComplete="new-password"
        value={state.password}
        required
        autoFocus={autoFocus}
        helperText={PASSWORD_HINT}
        onChange={(e) => state.setPassword(e.target.value)}
      />
      <TextField
        label={repeatLabel}
        name="confirm"
        type="password"
        autoComplete="new-password"
        value={state.confirm}
        required
        error={state.mismatch}
        helperText={state.mismatch ? 'The passwords differ' : ' '}
        onChange={(e) => state.setConfirm(e.target.value)}
      />
    </>
  );
}
