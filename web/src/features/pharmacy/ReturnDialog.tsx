import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
  TextField,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { pharmacyApi } from './pharmacy-api';
import { RETURN_REASONS, type ReturnReasonCode, type ReturnResult } from '@wintehr/contracts';

const REASON_LABELS: Record<ReturnReasonCode, string> = {
  clarification: 'Needs clarification',
  'drug-interaction': 'Drug interaction',
  allergy: 'Allergy',
  dose: 'Dose',
  'out-of-stock': 'Out of stock',
  'not-covered': 'Not covered',
  other: 'Other',
};

/** Return the prescription to the prescriber: it goes on hold and the prescriber receives the reason. */
export function ReturnDialog({
  medicationRequestId,
  open,
  onClose,
  onDone,
}: {
  medicationRequestId: string;
  open: boolean;
  onClose: () => void;
  onDone: (r: ReturnResult) => void;
}) {
  const [code, setCode] = useState<ReturnReasonCode>('clarification');
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(false);
  const ret = useMutation({
    mutationFn: () => pharmacyApi.returnToPrescriber(medicationRequestId, code, reason.trim()),
    onSuccess: onDone,
  });
  const tooShort = reason.trim().length < 5;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    if (!tooShort) ret.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="return-title" fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="return-title">Return to prescriber</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            The prescription is put on hold and the prescriber is sent your reason.
          </DialogContentText>
          <Stack spacing={2}>
            <TextField
              select
              label="Reason category"
              value={code}
              onChange={(e) => setCode(e.target.value as ReturnReasonCode)}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
              fullWidth
            >
              {RETURN_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABELS[r]}
                </option>
              ))}
            </TextField>
            <TextField
              label="Reason for the prescriber"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={3}
              required
              fullWidth
              error={shown && tooShort}
              helperText={
                shown && tooShort ? 'At least 5 characters' : 'What the prescriber needs to change or confirm'
              }
            />
            <ErrorAlert error={ret.error} title="Not returned" />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" color="warning" disabled={ret.isPending}>
            {ret.isPending ? 'Returning…' : 'Return to prescriber'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
