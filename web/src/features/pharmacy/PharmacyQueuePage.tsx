import { Button, Paper, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { LiveStatus } from '../../core/realtime/LiveStatus';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import { isQueueFilter, QUEUE_FILTERS, type QueueFilterId } from './queue-filters';
import { QueueTable } from './QueueTable';
import { useQueueRealtime } from './useQueueRealtime';

/**
 * The pharmacist's dispense queue: prescriptions routed to their pharmacy, STAT first, with a safety summary.
 * Changes made by anyone (new prescriptions, claims, dispenses) arrive over the realtime channel and update
 * the list in place, without reloading the page.
 */
export function PharmacyQueuePage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const filter: QueueFilterId = isQueueFilter(raw) ? raw : 'open';
  const queue = useQuery({
    queryKey: pharmacyKeys.queue(filter),
    queryFn: ({ signal }) => pharmacyApi.queue(filter, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const live = useQueueRealtime(user?.id ?? '');
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (live.lastChange?.change === 'added') setNewIds((s) => new Set([...s, live.lastChange!.medicationRequestId]));
  }, [live.lastChange]);

  const items = queue.data?.items ?? [];
  const label = QUEUE_FILTERS.find((f) => f.id === filter)!.label.toLowerCase();
  return (
    <>
      <PageHeader
        title="Dispense queue"
        actions={
          <Stack direction="row" spacing={2} alignItems="center">
            {/* Its hidden announcer is absolute at 100% width: contained here, it cannot widen the page. */}
            <Stack direction="row" sx={{ position: 'relative', overflow: 'hidden' }}>
              <LiveStatus status={live.status} announcement={live.announcement} />
            </Stack>
            <Button component={RouterLink} to="/pharmacy/inventory" variant="outlined">
              Inventory
            </Button>
          </Stack>
        }
      />
      <Paper sx={{ p: 2 }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={filter}
          aria-label="Queue status"
          sx={{ mb: 2, flexWrap: 'wrap' }}
          onChange={(_e, v: QueueFilterId | null) => {
            if (v) setParams(v === 'open' ? {} : { status: v }, { replace: true });
          }}
        >
          {QUEUE_FILTERS.map((f) => (
            <ToggleButton key={f.id} value={f.id}>
              {f.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {queue.isLoading && <LoadingState label="Loading the queue…" />}
        <ErrorAlert error={queue.error} title="The queue could not be loaded" onRetry={() => void queue.refetch()} />
        {queue.data && items.length === 0 && (
          <EmptyState>No {filter === 'all' ? '' : `${label} `}prescriptions in the queue.</EmptyState>
        )}
        {items.length > 0 && <QueueTable items={items} newIds={newIds} />}
        {queue.data && items.length > 0 && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="queue-count">
            {queue.data.count === queue.data.total
              ? `${queue.data.total} prescription${queue.data.total === 1 ? '' : 's'}`
              : `Showing ${queue.data.count} of ${queue.data.total}`}
            {queue.isFetching && ' · updating…'}
          </Typography>
        )}
      </Paper>
    </>
  );
}
