import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Box } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../core/api/client';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';

interface OrderRow { id: string; type?: string; status: string; priority?: string; code?: fhir4.Coding; authoredOn?: string }

/** Lab, imaging and referral orders with their status (order entry comes later). */
export function OrdersTab({ patientId }: { patientId: string }) {
  const q = useQuery({
    queryKey: ['patient', patientId, 'orders'],
    queryFn: () => api.get<{ total: number; items: OrderRow[] }>(`/api/patients/${encodeURIComponent(patientId)}/orders`, { status: 'all' }),
  });
  if (q.isLoading) return <LoadingState label="Loading orders…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data?.items.length) return <EmptyState>No orders.</EmptyState>;
  return (
    <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Orders table">
      <Table size="small" aria-label="Orders">
        <TableHead><TableRow><TableCell>Order</TableCell><TableCell>Type</TableCell><TableCell>Priority</TableCell><TableCell>Status</TableCell><TableCell>Placed</TableCell></TableRow></TableHead>
        <TableBody>
          {q.data.items.map((o) => (
            <TableRow key={o.id}>
              <TableCell>{o.code?.display ?? o.code?.code ?? '—'}</TableCell>
              <TableCell>{o.type ?? '—'}</TableCell>
              <TableCell>{o.priority === 'stat' ? <Chip size="small" color="error" label="STAT" /> : o.priority ?? 'routine'}</TableCell>
              <TableCell>{o.status}</TableCell>
              <TableCell>{formatDateTime(o.authoredOn)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
