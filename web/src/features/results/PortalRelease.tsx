import {
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RESULT_HOLD_EXCEPTIONS, type ResultHoldException } from '@wintehr/contracts';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { resultsApi } from './results-api';

/** The information-blocking exceptions (45 CFR 171 subpart B) in the words a clinician picks them by. */
export const EXCEPTION_LABELS: Record<ResultHoldException, string> = {
  'preventing-harm': 'Preventing harm',
  privacy: 'Privacy (the patient asked, or a third party is named)',
  security: 'Security',
  infeasibility: 'Infeasibility',
  'health-it-performance': 'Health IT performance',
};
const RELEASED = new Set(['final', 'amended', 'corrected']);

/**
 * Whether the patient sees this result in the portal (Cures Act: released on final), and for a clinician who may hold
 * results, holding it back under a named exception or releasing it again.
 */
export function PortalRelease({
  patientId,
  reportId,
  status,
  title,
}: {
  patientId: string;
  reportId: string;
  status: string;
  title: string;
}) {
  const { user } = useAuth();
  const mayHold = can(user, 'results:acknowledge');
  const qc = useQueryClient();
  const key = ['patient', patientId, 'result-holds'];
  const holds = useQuery({ queryKey: key, queryFn: () => resultsApi.holds(patientId), enabled: mayHold });
  const [open, setOpen] = useState(false);
  const release = useMutation({
    mutationFn: () => resultsApi.releaseHold(reportId),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  if (!RELEASED.has(status)) return <Chip size="small" variant="outlined" label="Not in portal until final" />;
  if (!mayHold) return null;
  const hold = holds.data?.holds.find((h) => h.reportId === reportId);
  return (
    <Stack direction="row" spacing={1} alignItems="center">
      {hold ? (
        <>
          <Chip size="small" color="warning" label={`Held from portal: ${EXCEPTION_LABELS[hold.exception]}`} />
          <Button size="small" onClick={() => release.mutate()} disabled={release.isPending}>
            Release to portal
          </Button>
        </>
      ) : (
        <>
          <Chip size="small" variant="outlined" label="In patient portal" />
          <Button size="small" onClick={() => setOpen(true)} disabled={holds.isLoading}>
            Hold from portal
          </Button>
        </>
      )}
      <ErrorAlert error={release.error} />
      {open && <HoldDialog reportId={reportId} title={title} onClose={() => setOpen(false)} queryKey={key} />}
    </Stack>
  );
}

function HoldDialog({
  reportId,
  title,
  onClose,
  queryKey,
}: {
  reportId: string;
  title: string;
  onClose: () => void;
  queryKey: string[];
}) {
  const qc = useQueryClient();
  const [exception, setException] = useState<ResultHoldException | ''>('');
  const [note, setNote] = useState('');
  const place = useMutation({
    mutationFn: () => resultsApi.hold(reportId, { exception: exception as ResultHoldException, note: note.trim() }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} aria-labelledby="hold-title" fullWidth maxWidth="sm">
      <DialogTitle id="hold-title">Hold {title} from the portal</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 2 }}>
          Final results reach the patient without delay (21st Century Cures Act). Keeping one back is allowed only under
          an information-blocking exception; the exception is recorded in the audit trail.
        </Typography>
        <RadioGroup
          aria-label="Exception"
          value={exception}
          onChange={(e) => setException(e.target.value as ResultHoldException)}
        >
          {RESULT_HOLD_EXCEPTIONS.map((x) => (
            <FormControlLabel key={x} value={x} control={<Radio />} label={EXCEPTION_LABELS[x]} />
          ))}
        </RadioGroup>
        <TextField
          label="Why (for the care team, never shown to the patient)"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          required
          sx={{ mt: 2 }}
          inputProps={{ maxLength: 1000 }}
        />
        <ErrorAlert error={place.error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          onClick={() => place.mutate()}
          disabled={!exception || !note.trim() || place.isPending}
        >
          Hold from portal
        </Button>
      </DialogActions>
    </Dialog>
  );
}
