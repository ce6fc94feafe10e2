import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { patientApi } from './patient-api';

/** Emergency access to an unrelated chart: a stated reason, a time box, and a review by an administrator. */
export function BreakGlassDialog({
  patientId,
  open,
  onClose,
  onGranted,
}: {
  patientId: string;
  open: boolean;
  onClose: () => void;
  onGranted: () => void;
}) {
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(60);
  const grant = useMutation({
    mutationFn: () => patientApi.breakGlass(patientId, reason.trim(), minutes),
    onSuccess: onGranted,
  });
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="bg-title" fullWidth maxWidth="sm">
      <DialogTitle id="bg-title">Break the glass</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Alert severity="warning">
            You have no care relationship with this patient. Emergency access is recorded, time-limited and reviewed by
            an administrator.
          </Alert>
          <TextField
            label="Reason for emergency access"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={2}
            required
            helperText="At least 10 characters"
            autoFocus
          />
          <TextField select label="Access for" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {[15, 30, 60, 120, 240].map((m) => (
              <MenuItem key={m} value={m}>
                {m} minutes
              </MenuItem>
            ))}
          </TextField>
          <ErrorAlert error={grant.error} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          color="warning"
          disabled={reason.trim().length < 10 || grant.isPending}
          onClick={() => grant.mutate()}
        >
          Open the chart
        </Button>
      </DialogActions>
    </Dialog>
  );
}
