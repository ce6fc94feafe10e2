import {
  Alert,
  Box,
  Button,
  Chip,
  Link,
  Paper,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { INBASKET_KINDS, type InbasketActionName, type InbasketItem, type InbasketKind } from '@wintehr/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { formatDateTime } from '../../core/format';
import { LiveStatus } from '../../core/realtime/LiveStatus';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { ActionDialog } from './ActionDialog';
import { inbasketApi, inbasketKeys } from './inbasket-api';
import { MessageAttachments } from '../../core/message-attachments/MessageAttachments';
import { ACTION_LABELS, KIND_LABELS } from './inbasket-view';
import { useInbasketLive } from './useInbasketLive';

function ItemCard({ item, onAction }: { item: InbasketItem; onAction: (a: InbasketActionName) => void }) {
  return (
    <Paper component="article" aria-label={item.title} sx={{ p: 2 }} data-testid="inbasket-item" data-kind={item.kind}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
        <Chip size="small" label={KIND_LABELS[item.kind]} />
        {item.priority !== 'routine' && (
          <Chip size="small" color={item.priority === 'stat' ? 'error' : 'warning'} label={item.priority} />
        )}
        {item.pool && <Chip size="small" variant="outlined" label={`Pool: ${item.pool}`} />}
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {item.title}
        </Typography>
      </Stack>
      <Typography color="text.secondary" variant="body2">
        {item.patientId ? (
          <Link component={RouterLink} to={`/patients/${item.patientId}/summary`}>
            {item.patientName ?? 'Open chart'}
          </Link>
        ) : (
          'No patient'
        )}
        {item.created && ` · received ${formatDateTime(item.created)}`}
        {item.due && ` · due ${formatDateTime(item.due)}`}
      </Typography>
      {item.detail && <Typography sx={{ mt: 1, whiteSpace: 'pre-wrap' }}>{item.detail}</Typography>}
      <MessageAttachments attachments={item.attachments} />
      <Stack direction="row" spacing={1} sx={{ mt: 1 }} flexWrap="wrap" useFlexGap>
        {item.actions.map((a) => (
          <Button
            key={a}
            size="small"
            variant={a === 'deny' || a === 'discontinue' ? 'outlined' : 'contained'}
            onClick={() => onAction(a)}
          >
            {ACTION_LABELS[a]}
          </Button>
        ))}
        {item.links.map((l) => (
          <Button key={l.href} size="small" component={RouterLink} to={l.href}>
            {l.label}
          </Button>
        ))}
      </Stack>
    </Paper>
  );
}

/** The clinician's in-basket: everything addressed to them or their pool, filtered by kind, answered in place. */
export function InbasketPage() {
  const status = useInbasketLive();
  const [kind, setKind] = useState<InbasketKind | 'all'>('all');
  const [open, setOpen] = useState<{ item: InbasketItem; action: InbasketActionName }>();
  const [done, setDone] = useState<string>();
  const counts = useQuery({ queryKey: inbasketKeys.counts, queryFn: inbasketApi.counts });
  const list = useQuery({
    queryKey: inbasketKeys.list(kind),
    queryFn: () => inbasketApi.list(kind === 'all' ? undefined : kind),
  });
  return (
    <>
      <PageHeader title="In-basket" actions={<LiveStatus status={status} />} />
      <ToggleButtonGroup
        exclusive
        size="small"
        value={kind}
        onChange={(_, v: InbasketKind | 'all' | null) => v && setKind(v)}
        aria-label="Filter by kind"
        sx={{ mb: 2, flexWrap: 'wrap' }}
      >
        <ToggleButton value="all">All ({counts.data?.total ?? '…'})</ToggleButton>
        {INBASKET_KINDS.map((k) => (
          <ToggleButton key={k} value={k}>
            {KIND_LABELS[k]} ({counts.data?.byKind[k] ?? '…'})
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {done && (
        <Alert severity="success" sx={{ mb: 2 }} onClose={() => setDone(undefined)} role="status">
          {done}
        </Alert>
      )}
      {list.isLoading && <LoadingState label="Loading the in-basket…" />}
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && !list.data.items.length && <EmptyState>Nothing waiting here.</EmptyState>}
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        {list.data?.items.map((i) => (
          <ItemCard key={i.id} item={i} onAction={(action) => setOpen({ item: i, action })} />
        ))}
      </Box>
      {open && (
        <ActionDialog
          item={open.item}
          action={open.action}
          onClose={() => setOpen(undefined)}
          onDone={(r) => {
            setOpen(undefined);
            setDone(
              `${ACTION_LABELS[r.action]}: ${open.item.title}${r.erxMessageId ? ' — sent to the pharmacy over eRx' : ''}`,
            );
          }}
        />
      )}
    </>
  );
}
