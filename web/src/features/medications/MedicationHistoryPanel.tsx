import { Box, Button, Paper, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { NetworkMedicationHistory } from '@wintehr/contracts';
import { api } from '../../core/api/client';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';

/**
 * Fills the network knows about (SCRIPT RxHistoryRequest through the e-prescribing adapter), beside the active list, so
 * the prescriber sees what other prescribers' drugs the patient actually picked up. Fetched on demand: each request
 * goes out to the network and is audited as a PHI read.
 */
export function MedicationHistoryPanel({ patientId }: { patientId: string }) {
  const q = useQuery({
    queryKey: ['patient', patientId, 'network-medication-history'],
    queryFn: ({ signal }) =>
      api.get<NetworkMedicationHistory>(
        `/api/patients/${encodeURIComponent(patientId)}/medication-history`,
        undefined,
        signal,
      ),
    enabled: false,
    staleTime: 10 * 60_000,
  });
  return (
    <Paper variant="outlined" sx={{ p: 2, mt: 3 }} component="section" aria-labelledby="network-history-title">
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 2, flexWrap: 'wrap' }}>
        <Typography id="network-history-title" variant="h6" component="h2">
          Dispensing history from the network
        </Typography>
        <Button variant="outlined" onClick={() => void q.refetch()} disabled={q.isFetching}>
          {q.data ? 'Refresh' : 'Request history'}
        </Button>
      </Box>
      {q.isFetching && <LoadingState label="Asking the e-prescribing network…" />}
      {!!q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {!q.data && !q.isFetching && !q.error && (
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          Fills at outside pharmacies (Surescripts medication history), requested on demand.
        </Typography>
      )}
      {q.data && !q.isFetching && (
        <>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            Retrieved {formatDateTime(q.data.retrievedAt)}
          </Typography>
          {!q.data.items.length && <EmptyState>The network has no fills for this patient.</EmptyState>}
          {!!q.data.items.length && (
            <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Network dispensing history table">
              <Table size="small" aria-label="Network dispensing history">
                <TableHead>
                  <TableRow>
                    <TableCell>Medication</TableCell>
                    <TableCell>Last fill</TableCell>
                    <TableCell>Quantity</TableCell>
                    <TableCell>Days supply</TableCell>
                    <TableCell>Pharmacy</TableCell>
                    <TableCell>Sig</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {q.data.items.map((i, n) => (
                    <TableRow key={`${i.ndc ?? i.rxnorm ?? i.description}-${i.lastFillDate ?? n}`}>
                      <TableCell>{i.description}</TableCell>
                      <TableCell>{i.lastFillDate ? formatDate(i.lastFillDate) : '—'}</TableCell>
                      <TableCell>{i.quantity}</TableCell>
                      <TableCell>{i.daysSupply ?? '—'}</TableCell>
                      <TableCell>{i.pharmacyName ?? '—'}</TableCell>
                      <TableCell>{i.sig ?? '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </>
      )}
    </Paper>
  );
}
