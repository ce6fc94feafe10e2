import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Alert, Button, Chip, Paper, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { LiveStatus } from '../../core/realtime/LiveStatus';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { DispenseDialog } from './DispenseDialog';
import { FindingsReview } from './FindingsReview';
import { ItemSummary } from './ItemSummary';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import type { QueueItemDetail } from '@wintehr/contracts';
import { holderText, PRIORITY_LABELS, STATUS_LABELS } from './queue-filters';
import { ReturnDialog } from './ReturnDialog';
import { useQueueRealtime } from './useQueueRealtime';
import { VerificationContext } from './VerificationContext';
import { verifyOutcome } from './verify-form';

function actionsOf(item: QueueItemDetail) {
  const closed = item.status === 'dispensed' || item.status === 'returned';
  const mine = item.claimedByMe && !closed;
  return {
    claim: !closed && !item.claimedBy,
    release: mine,
    decide: mine && item.prescriptionStatus === 'active',
    dispense: mine && !!item.verifiedAt && (item.status === 'verified' || item.status === 'partially_dispensed'),
    return: mine && item.status !== 'partially_dispensed',
  };
}

/** One prescription of the queue: claim it, review the safety findings and verify, dispense, or return it. */
export function PharmacyItemPage() {
  const { medicationRequestId: id = '' } = useParams();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: pharmacyKeys.item(id),
    queryFn: ({ signal }) => pharmacyApi.item(id, signal),
    staleTime: 0,
  });
  const live = useQueueRealtime(user?.id ?? '');
  const [notice, setNotice] = useState<{ severity: 'success' | 'info'; text: string }>();
  const [dialog, setDialog] = useState<'dispense' | 'return'>();
  const noticeRef = useRef<HTMLDivElement>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: pharmacyKeys.item(id) });
    void queryClient.invalidateQueries({ queryKey: pharmacyKeys.queues });
  };
  const done = (text: string) => {
    setNotice({ severity: 'success', text });
    refresh();
  };
  const claim = useMutation({
    mutationFn: () => pharmacyApi.claim(id),
    onSuccess: () => done('You claimed this prescription.'),
    onError: refresh,
  });
  const release = useMutation({
    mutationFn: () => pharmacyApi.release(id),
    onSuccess: () => done('Released back to the queue.'),
    onError: refresh,
  });

  // Someone else acting on this prescription: say so (the item itself reloads through the realtime hook).
  const change = live.lastChange;
  useEffect(() => {
    if (change?.medicationRequestId === id && change.actorUserId && change.actorUserId !== user?.id) {
      setNotice({
        severity: 'info',
        text: `Another pharmacist changed this prescription (${change.change.replace('_', ' ')}); the view is up to date.`,
      });
    }
  }, [change, id, user?.id]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (q.isLoading) return <LoadingState label="Loading the prescription…" />;
  if (q.error || !q.data) {
    return (
      <>
        <Button component={RouterLink} to="/pharmacy/queue" startIcon={<ArrowBackIcon />} sx={{ mb: 2 }}>
          Back to the queue
        </Button>
        <ErrorAlert error={q.error} title="The prescription could not be opened" onRetry={() => void q.refetch()} />
      </>
    );
  }
  const item = q.data;
  const can = actionsOf(item);
  const actionError = claim.error ?? release.error;

  return (
    <>
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        flexWrap="wrap"
        useFlexGap
        spacing={1}
        sx={{ mb: 1 }}
      >
        <Button component={RouterLink} to="/pharmacy/queue" startIcon={<ArrowBackIcon />}>
          Back to the queue
        </Button>
        {/* Its hidden announcer is absolute at 100% width: contained here, it cannot widen the page. */}
        <Stack direction="row" sx={{ position: 'relative', overflow: 'hidden' }}>
          <LiveStatus status={live.status} announcement={live.announcement} />
        </Stack>
      </Stack>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap sx={{ mb: 2 }}>
        <Typography variant="h5" component="h1">
          {item.drug.display ?? `Prescription ${item.medicationRequestId}`}
        </Typography>
        {item.stat && <Chip color="error" label={PRIORITY_LABELS[item.priority]} />}
        <Chip variant="outlined" label={STATUS_LABELS[item.status]} data-testid="item-status" />
      </Stack>

      <Paper sx={{ p: 2, mb: 2 }} component="section" aria-label="Actions">
        <Stack direction="row" spacing={1.5} alignItems="center" flexWrap="wrap" useFlexGap>
          <Typography sx={{ mr: 1 }}>
            Claimed by: <strong data-testid="holder">{holderText(item)}</strong>
          </Typography>
          {can.claim && (
            <Button variant="contained" onClick={() => claim.mutate()} disabled={claim.isPending}>
              Claim
            </Button>
          )}
          {can.release && (
            <Button variant="outlined" onClick={() => release.mutate()} disabled={release.isPending}>
              Release
            </Button>
          )}
          <Button variant="contained" color="success" disabled={!can.dispense} onClick={() => setDialog('dispense')}>
            Dispense…
          </Button>
          <Button variant="outlined" color="warning" disabled={!can.return} onClick={() => setDialog('return')}>
            Return to prescriber…
          </Button>
          {!item.verifiedAt && item.claimedByMe && (
            <Typography variant="body2" color="text.secondary">
              Verify before dispensing.
            </Typography>
          )}
          {item.claimedBy && !item.claimedByMe && (
            <Typography variant="body2" color="text.secondary">
              Another pharmacist is working on this prescription.
            </Typography>
          )}
        </Stack>
        {notice && (
          <Alert
            severity={notice.severity}
            role="status"
            sx={{ mt: 2 }}
            ref={noticeRef}
            tabIndex={-1}
            data-testid="item-notice"
            onClose={() => setNotice(undefined)}
          >
            {notice.text}
          </Alert>
        )}
        {!!actionError && <ErrorAlert error={actionError} />}
      </Paper>

      <VerificationContext item={item} />

      <Paper sx={{ p: 2, mb: 2 }}>
        <FindingsReview
          key={item.medicationRequestId}
          item={item}
          canDecide={can.decide}
          onVerified={(r) => done(verifyOutcome(r))}
          onStale={refresh}
        />
      </Paper>

      <ItemSummary item={item} />

      {dialog === 'dispense' && (
        <DispenseDialog
          item={item}
          open
          onClose={() => setDialog(undefined)}
          onDone={(r) => {
            setDialog(undefined);
            done(
              `Dispensed ${r.dispense.quantity} from lot ${r.dispense.lot.lotNumber} (MedicationDispense ${r.medicationDispense.id}).` +
                (r.item.status === 'dispensed'
                  ? ' The prescription is complete.'
                  : ` ${r.item.quantityRemaining} remain.`),
            );
            void queryClient.invalidateQueries({ queryKey: pharmacyKeys.inventory });
          }}
        />
      )}
      {dialog === 'return' && (
        <ReturnDialog
          medicationRequestId={item.medicationRequestId}
          open
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setDialog(undefined);
            done('Returned to the prescriber. The prescription is on hold.');
          }}
        />
      )}
    </>
  );
}
