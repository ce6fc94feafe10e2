import { useState } from 'react';

/**
 * One sign-in step's request at a time: `run` marks the step busy, clears the last error, and keeps the error it
 * throws for the step's ErrorAlert. Shared by the password/TOTP steps and the emailed-code step.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
