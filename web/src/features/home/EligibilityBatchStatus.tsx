import { Alert, Button, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EligibilityBatchRun, EligibilityBatchRunList } from '@wintehr/contracts';
import { runSummary } from './eligibility-batch';
import { api } from '../../core/api/client';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';

/** The nightly eligibility batch on the administrator's home: the last run and a button to run tomorrow's now. */
export function EligibilityBatchStatus() {
  const queryClient = useQueryClient();
  const runs = useQuery({
    queryKey: ['eligibility', 'batch-runs'],
    queryFn: () => api.get<EligibilityBatchRunList>('/api/eligibility/batch-runs'),
  });
  const runNow = useMutation({
    mutationFn: () => api.post<EligibilityBatchRun>('/api/eligibility/batch-runs', {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['eligibility', 'batch-runs'] }),
  });
  const last = runs.data?.runs[0];
  return (
    <Stack spacing={1} sx={{ mt: 2 }}>
      <Typography variant="subtitle1" component="h3">
        Nightly eligibility check
      </Typography>
      {runs.error && <ErrorAlert error={runs.error} title="Batch runs could not be loaded" />}
      {last ? (
        <Alert severity={last.status === 'done' && last.counts.failed === 0 ? 'success' : 'warning'}>
          Last run {formatDateTime(last.startedAt)} for appointments on {last.serviceDate}: {runSummary(last)}
          {last.error ? ` (${last.error})` : ''}
        </Alert>
      ) : (
        !runs.isLoading && <Typography color="text.secondary">No run yet.</Typography>
      )}
      <div>
        <Button variant="outlined" size="small" disabled={runNow.isPending} onClick={() => runNow.mutate()}>
          {runNow.isPending ? 'Checking tomorrow’s patients…' : 'Check tomorrow’s patients now'}
        </Button>
      </div>
      {runNow.error && <ErrorAlert error={runNow.error} title="The batch did not run" />}
    </Stack>
  );
}
