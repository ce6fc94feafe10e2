import { Box, Button, Chip, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { MarDose, MarOrder, MarOutcome } from '@wintehr/contracts';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { chartApi } from './chart-api';
import { doseLabel } from './chart-rules';
import { ChartItemDialog, fieldErrors, useChartWrite } from './ChartUi';
import { NursingTasks } from './NursingTasks';

const time = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) : 'PRN';

/** Today's medication administration record: each active order's due doses, documented given / not given / held. */
export function MarTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const nurse = can(user, 'medication:administer');
  const [documenting, setDocumenting] = useState<{ order: MarOrder; dose?: MarDose }>();
  const q = useQuery({ queryKey: ['patient', patientId, 'mar'], queryFn: () => chartApi.mar(patientId) });
  if (q.isLoading) return <LoadingState label="Loading the MAR…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const orders = q.data?.orders ?? [];
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {q.data?.date} · scheduled times on the ward clock (UTC)
      </Typography>
      {orders.length === 0 && <EmptyState>No active medication orders.</EmptyState>}
      <Stack spacing={1}>
        {orders.map((o) => (
          <Paper key={o.medicationRequestId} variant="outlined" sx={{ p: 1.5 }} data-testid="mar-order">
            <Stack direction={{ xs: 'column', md: 'row' }} spacing={1} justifyContent="space-between">
              <Box sx={{ minWidth: 0 }}>
                <Typography fontWeight={600}>{o.medication}</Typography>
                <Typography variant="body2" color="text.secondary">
                  {o.dosage || '—'} {o.prn && <Chip size="small" label="PRN" sx={{ ml: 1 }} />}
                  {o.status !== 'active' && <Chip size="small" label={o.status} sx={{ ml: 1 }} />}
                </Typography>
              </Box>
              <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap alignItems="center">
                {o.doses.map((d) => {
                  const l = doseLabel(d);
                  return (
                    <Stack key={d.dueAt} direction="row" spacing={0.5} alignItems="center">
                      <Chip size="small" color={l.color} label={`${time(d.dueAt)} ${l.label}`} />
                      {nurse && d.state === 'due' && o.status === 'active' && (
                        <Button size="small" onClick={() => setDocumenting({ order: o, dose: d })}>
                          Document {time(d.dueAt)}
                        </Button>
                      )}
                    </Stack>
                  );
                })}
                {o.prnDoses.map((d) => (
                  <Chip
                    key={d.administrationId}
                    size="small"
                    label={`PRN ${doseLabel(d).label} ${formatDateTime(d.recordedAt)}`}
                  />
                ))}
                {nurse && o.prn && o.status === 'active' && (
                  <Button size="small" onClick={() => setDocumenting({ order: o })}>
                    Give PRN dose
                  </Button>
                )}
              </Stack>
            </Stack>
          </Paper>
        ))}
      </Stack>
      <NursingTasks patientId={patientId} />
      {documenting && (
        <AdministerDialog patientId={patientId} {...documenting} onClose={() => setDocumenting(undefined)} />
      )}
    </>
  );
}

function AdministerDialog({
  patientId,
  order,
  dose,
  onClose,
}: {
  patientId: string;
  order: MarOrder;
  dose?: MarDose;
  onClose: () => void;
}) {
  const [outcome, setOutcome] = useState<MarOutcome>('given');
  const [reason, setReason] = useState('');
  const save = useChartWrite(
    patientId,
    () =>
      chartApi.administer(patientId, {
        medicationRequestId: order.medicationRequestId,
        ...(dose?.dueAt ? { dueAt: dose.dueAt } : {}),
        outcome,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onClose,
  );
  const errs = fieldErrors(save.error);
  const needsReason = outcome !== 'given';
  return (
    <ChartItemDialog
      title={
        <>
          {order.medication} · {dose ? `due ${time(dose.dueAt)}` : 'PRN dose'}
        </>
      }
      maxWidth="sm"
      onClose={onClose}
      onSave={() => save.mutate(undefined)}
      pending={save.isPending}
      error={errs.reason ? undefined : save.error}
      canSave={!needsReason || reason.trim().length >= 3}
      saveLabel="Record"
    >
      <TextField select label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as MarOutcome)}>
        <MenuItem value="given">Given</MenuItem>
        <MenuItem value="not-given">Not given</MenuItem>
        <MenuItem value="held">Held</MenuItem>
      </TextField>
      {needsReason && (
        <TextField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          error={!!errs.reason}
          helperText={errs.reason ?? 'Required when a dose is not given or held'}
        />
      )}
    </ChartItemDialog>
  );
}
