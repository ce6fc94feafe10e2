import {
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { adminApi, type BreakGlassGrant } from './admin-api';

type Status = 'unreviewed' | 'reviewed' | 'all';

/** Every break-the-glass access waits here until an administrator judges it appropriate or not. */
export function BreakGlassReviewPage() {
  const [status, setStatus] = useState<Status>('unreviewed');
  const [reviewing, setReviewing] = useState<BreakGlassGrant>();
  const grants = useQuery({ queryKey: ['admin', 'break-glass', status], queryFn: () => adminApi.breakGlass(status) });
  return (
    <>
      <PageHeader
        title="Break-glass review"
        actions={
          <ToggleButtonGroup
            exclusive
            size="small"
            value={status}
            onChange={(_e, v: Status | null) => v && setStatus(v)}
            aria-label="Which grants"
          >
            <ToggleButton value="unreviewed">To review</ToggleButton>
            <ToggleButton value="reviewed">Reviewed</ToggleButton>
            <ToggleButton value="all">All</ToggleButton>
          </ToggleButtonGroup>
        }
      />
      <Paper sx={{ p: 2 }}>
        {grants.isLoading && <LoadingState label="Loading grants…" />}
        <ErrorAlert error={grants.error} onRetry={() => void grants.refetch()} />
        {grants.data?.grants.length === 0 && (
          <EmptyState>No break-the-glass grants {status === 'unreviewed' ? 'waiting for review' : 'here'}.</EmptyState>
        )}
        {!!grants.data?.grants.length && (
          <TableContainer tabIndex={0} role="region" aria-label="Break-the-glass grants table">
            <Table size="small" aria-label="Break-the-glass grants">
              <TableHead>
                <TableRow>
                  <TableCell>Opened</TableCell>
                  <TableCell>User</TableCell>
                  <TableCell>Patient</TableCell>
                  <TableCell>Reason</TableCell>
                  <TableCell>Window</TableCell>
                  <TableCell>Review</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {grants.data.grants.map((g) => (
                  <TableRow key={g.id}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(g.createdAt)}</TableCell>
                    <TableCell>
                      {g.username} ({g.role})
                    </TableCell>
                    <TableCell>{g.patientId}</TableCell>
                    <TableCell sx={{ maxWidth: 320 }}>{g.reason}</TableCell>
                    <TableCell>
                      {g.active ? (
                        <Chip size="small" color="warning" label={`Active until ${formatDateTime(g.expiresAt)}`} />
                      ) : (
                        `Ended ${formatDateTime(g.expiresAt)}`
                      )}
                    </TableCell>
                    <TableCell>
                      {g.review ? (
                        <Chip
                          size="small"
                          color={g.review.outcome === 'appropriate' ? 'success' : 'error'}
                          label={g.review.outcome}
                          title={g.review.note}
                        />
                      ) : (
                        <Button size="small" variant="outlined" onClick={() => setReviewing(g)}>
                          Review
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Paper>
      {reviewing && <ReviewDialog grant={reviewing} onClose={() => setReviewing(undefined)} />}
    </>
  );
}

function ReviewDialog({ grant, onClose }: { grant: BreakGlassGrant; onClose: () => void }) {
  const [outcome, setOutcome] = useState<'appropriate' | 'inappropriate'>('appropriate');
  const [note, setNote] = useState('');
  const queryClient = useQueryClient();
  const review = useMutation({
    mutationFn: () => adminApi.reviewBreakGlass(grant.id, outcome, note.trim()),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'break-glass'] });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} aria-labelledby="review-title" fullWidth maxWidth="sm">
      <DialogTitle id="review-title">
        Review {grant.username}'s access to Patient/{grant.patientId}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField label="Stated reason" value={grant.reason} slotProps={{ input: { readOnly: true } }} multiline />
          <TextField
            select
            label="Verdict"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as typeof outcome)}
          >
            <MenuItem value="appropriate">Appropriate</MenuItem>
            <MenuItem value="inappropriate">Inappropriate</MenuItem>
          </TextField>
          <TextField
            label="Review note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            multiline
            minRows={2}
            required
            helperText="At least 3 characters"
          />
          <ErrorAlert error={review.error} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={note.trim().length < 3 || review.isPending}
          onClick={() => review.mutate()}
        >
          Record review
        </Button>
      </DialogActions>
    </Dialog>
  );
}
