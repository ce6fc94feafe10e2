import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../core/api/api-error';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import type { StockLine } from '@wintehr/contracts';
import { thresholdEffect, thresholdValue } from './threshold-form';

/**
 * Sets one NDC's low-stock threshold; stock and alerts are reloaded so the alert list follows at once. Rendered
 * per line (keyed by NDC), so it opens with that line's current threshold.
 */
export function ThresholdDialog({
  line,
  onClose,
  onDone,
}: {
  line: StockLine;
  onClose: () => void;
  onDone: (ndc: string, value: number) => void;
}) {
  const [text, setText] = useState(line.lowStockThreshold === null ? '' : String(line.lowStockThreshold));
  const [shown, setShown] = useState(false);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: ({ ndc, value }: { ndc: string; value: number }) => pharmacyApi.setThreshold(ndc, value),
    onSuccess: async (r) => {
      // The alerts key sits under the inventory key: one invalidation refreshes both.
      await queryClient.invalidateQueries({ queryKey: pharmacyKeys.inventory });
      onDone(r.ndc, r.lowStockThreshold);
    },
  });
  const check = thresholdValue(text);
  const server =
    save.error instanceof ApiError
      ? save.error.fieldProblems.find((p) => p.field === 'body.lowStockThreshold')?.message
      : undefined;
  const problem = (shown && !check.ok ? check.problem : undefined) ?? server;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    if (check.ok) save.mutate({ ndc: line.ndc, value: check.value });
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="threshold-title" fullWidth maxWidth="xs">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="threshold-title">Low-stock threshold</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {line.name ?? `RxNorm ${line.rxcui}`} · NDC {line.ndcFormatted}. An alert shows when the unexpired stock is
            below the threshold.
          </DialogContentText>
          <Stack spacing={1}>
            <TextField
              label="Threshold"
              value={text}
              onChange={(e) => setText(e.target.value)}
              inputMode="decimal"
              autoFocus
              required
              fullWidth
              error={!!problem}
              helperText={problem ?? `On hand now: ${line.onHand}`}
            />
            {check.ok && (
              <Typography variant="body2" data-testid="threshold-effect">
                {thresholdEffect(line.onHand, check.value)}
              </Typography>
            )}
            <ErrorAlert error={save.error} title="Threshold not saved" />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
