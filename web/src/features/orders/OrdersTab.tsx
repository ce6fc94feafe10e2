import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
  Box,
  Button,
  Chip,
  Snackbar,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderList } from '@wintehr/contracts';
import { useState } from 'react';
import { api } from '../../core/api/client';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { CancelOrderDialog } from './CancelOrderDialog';
import { cancellable } from './order-form';
import { NewOrderDialog } from './NewOrderDialog';

/** Lab, imaging and referral orders with their status; order entry (catalog or order set) and cancel. */
export function OrdersTab({ patientId, encounterId }: { patientId: string; encounterId?: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [entering, setEntering] = useState(false);
  const [cancelling, setCancelling] = useState<{ id: string; label: string }>();
  const [message, setMessage] = useState<{ text: string; severity: 'success' | 'warning' }>();
  const q = useQuery({
    queryKey: ['patient', patientId, 'orders'],
    queryFn: () => api.get<OrderList>(`/api/patients/${encodeURIComponent(patientId)}/orders`, { status: 'all' }),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
  const canCancel = can(user, 'order:cancel');
  return (
    <>
      {can(user, 'order:place') && (
        <Stack direction="row" justifyContent="flex-end" sx={{ mb: 2 }}>
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEntering(true)}>
            New order
          </Button>
        </Stack>
      )}
      {q.isLoading && <LoadingState label="Loading orders…" />}
      {!!q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && !q.data.items.length && <EmptyState>No orders.</EmptyState>}
      {!!q.data?.items.length && (
        <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Orders table">
          <Table size="small" aria-label="Orders">
            <TableHead>
              <TableRow>
                <TableCell>Order</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Priority</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Placed</TableCell>
                {canCancel && (
                  <TableCell>
                    <Box
                      component="span"
                      sx={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
                    >
                      Actions
                    </Box>
                  </TableCell>
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {q.data.items.map((o) => {
                const label = o.code?.display ?? o.code?.code ?? '—';
                return (
                  <TableRow key={o.id}>
                    <TableCell>{label}</TableCell>
                    <TableCell>{o.type ?? '—'}</TableCell>
                    <TableCell>
                      {o.priority === 'stat' ? (
                        <Chip size="small" color="error" label="STAT" />
                      ) : (
                        (o.priority ?? 'routine')
                      )}
                    </TableCell>
                    <TableCell>{o.status}</TableCell>
                    <TableCell>{formatDateTime(o.authoredOn)}</TableCell>
                    {canCancel && (
                      <TableCell>
                        {cancellable(o.status) && (
                          <Button
                            size="small"
                            color="error"
                            aria-label={`Cancel ${label}`}
                            onClick={() => setCancelling({ id: o.id, label })}
                          >
                            Cancel
                          </Button>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Box>
      )}
      <NewOrderDialog
        open={entering}
        patientId={patientId}
        encounterId={encounterId}
        onClose={() => setEntering(false)}
        onPlaced={(m) => {
          setEntering(false);
          setMessage(m);
          refresh();
        }}
      />
      <CancelOrderDialog
        order={cancelling}
        onClose={() => setCancelling(undefined)}
        onCancelled={() => {
          setMessage({ text: `Cancelled: ${cancelling?.label ?? 'order'}.`, severity: 'success' });
          setCancelling(undefined);
          refresh();
        }}
      />
      <Snackbar
        open={!!message}
        autoHideDuration={8000}
        onClose={() => setMessage(undefined)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert
          severity={message?.severity ?? 'success'}
          variant="filled"
          onClose={() => setMessage(undefined)}
          role="status"
        >
          {message?.text}
        </Alert>
      </Snackbar>
    </>
  );
}
