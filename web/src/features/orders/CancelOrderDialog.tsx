import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useState } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { ordersApi } from './orders-api';

/** Cancels (revokes) an order with a mandatory reason. */
export function CancelOrderDialog({
  order,
  onClose,
  onCancelled,
}: {
  order: { id: string; label: string } | undefined;
  onClose: () => void;
  onCancelled: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const close = () => {
    setReason('');
    setError(undefined);
    onClose();
  };
  const submit = async () => {
    if (!order) return;
    setBusy(true);
    setError(undefined);
    try {
      await ordersApi.cancel(order.id, reason.trim());
      setReason('');
      onCancelled();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={!!order}
      onClose={busy ? undefined : close}
      aria-labelledby="cancel-order-title"
      fullWidth
      maxWidth="xs"
    >
      <DialogTitle id="cancel-order-title">Cancel order</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{order?.label}</DialogContentText>
        <TextField
          label="Reason for cancelling"
          required
          fullWidth
          autoFocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          helperText="At least 3 characters"
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        <ErrorAlert error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Keep order
        </Button>
        <Button
          color="error"
          variant="contained"
          onClick={() => void submit()}
          disabled={busy || reason.trim().length < 3}
        >
          {busy ? 'Cancelling…' : 'Cancel order'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
