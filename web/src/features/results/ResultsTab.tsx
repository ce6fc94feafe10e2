import { Box, Button, Chip, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { conceptText } from '../patient/patient-api';
import { interpretationCode, isCriticalFlag, referenceRangeText, resultsApi, valueText, type ResultEntry } from './results-api';

function Flag({ code }: { code: string | undefined }) {
  if (!code || code === 'N') return <>{code === 'N' ? 'normal' : '—'}</>;
  return <Chip size="small" label={isCriticalFlag(code) ? `${code} critical` : code} color={isCriticalFlag(code) ? 'error' : 'warning'} variant={isCriticalFlag(code) ? 'filled' : 'outlined'} />;
}

function Report({ entry, patientId }: { entry: ResultEntry; patientId: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const ack = useMutation({
    mutationFn: () => resultsApi.acknowledge(entry.report.id!),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'results'] });
      void queryClient.invalidateQueries({ queryKey: ['results', 'critical'] });
    },
  });
  const critical = entry.observations.some((o) => isCriticalFlag(interpretationCode(o)));
  const title = conceptText(entry.report.code);
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2, borderColor: critical ? 'error.main' : undefined }} component="section" aria-label={`Report ${title}`}>
      <Stack direction="row" justifyContent="space-between" alignItems="center" flexWrap="wrap" useFlexGap spacing={1}>
        <Box>
          <Typography variant="subtitle1" component="h3">{title}</Typography>
          <Typography variant="body2" color="text.secondary">{formatDateTime(entry.report.effectiveDateTime ?? entry.report.issued)} · {entry.report.status}</Typography>
        </Box>
        <Stack direction="row" spacing={1} alignItems="center">
          {critical && <Chip color="error" label="Critical" />}
          {entry.acknowledged
            ? <Chip variant="outlined" color="success" label={`Acknowledged ${formatDateTime(entry.acknowledged.at)}`} />
            : can(user, 'results:acknowledge') && <Button variant={critical ? 'contained' : 'outlined'} disabled={ack.isPending} onClick={() => ack.mutate()}>Acknowledge</Button>}
        </Stack>
      </Stack>
      <ErrorAlert error={ack.error} />
      <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={`${title} values`}>
        <Table size="small" aria-label={`${title} observations`}>
          <TableHead><TableRow><TableCell>Test</TableCell><TableCell>Value</TableCell><TableCell>Reference range</TableCell><TableCell>Flag</TableCell></TableRow></TableHead>
          <TableBody>
            {entry.observations.map((o) => (
              <TableRow key={o.id}>
                <TableCell>{conceptText(o.code)}</TableCell>
                <TableCell sx={{ fontWeight: isCriticalFlag(interpretationCode(o)) ? 700 : undefined }}>{valueText(o)}</TableCell>
                <TableCell>{referenceRangeText(o)}</TableCell>
                <TableCell><Flag code={interpretationCode(o)} /></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Paper>
  );
}

/** Lab reports, newest first, with reference ranges, flags and acknowledgement. */
export function ResultsTab({ patientId }: { patientId: string }) {
  const q = useQuery({ queryKey: ['patient', patientId, 'results'], queryFn: () => resultsApi.forPatient(patientId) });
  if (q.isLoading) return <LoadingState label="Loading results…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data?.results.length) return <EmptyState>No lab results.</EmptyState>;
  return <>{q.data.results.map((e) => <Report key={e.report.id} entry={e} patientId={patientId} />)}</>;
}
