import { Alert, Box, Button, Chip, Link, List, ListItem, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import type { CriticalAlert } from '@wintehr/contracts';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { resultsApi } from './results-api';

const FLAG_TEXT: Record<string, string> = { HH: 'critical high', LL: 'critical low', AA: 'critical' };

/** "Potassium [Moles/volume] in Serum or Plasma 6.8 mmol/L — critical high (ref 3.5–5.1 mmol/L)" */
export function criticalTestText(t: CriticalAlert['tests'][number]): string {
  const value = t.value === null ? '' : ` ${t.value}${t.unit ? ` ${t.unit}` : ''}`;
  return `${t.display}${value} — ${FLAG_TEXT[t.flag] ?? t.flag}${t.referenceRange ? ` (ref ${t.referenceRange})` : ''}`;
}

function CriticalAlertItem({ alert, showPatient }: { alert: CriticalAlert; showPatient: boolean }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const ack = useMutation({
    mutationFn: () => resultsApi.acknowledge(alert.reportId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['results', 'critical'] });
      void queryClient.invalidateQueries({ queryKey: ['patient', alert.patientId, 'results'] });
    },
  });
  const href =
    alert.focusType === 'DiagnosticReport'
      ? `/patients/${alert.patientId}/results?report=${encodeURIComponent(alert.reportId)}`
      : `/patients/${alert.patientId}/results?view=flowsheet`;
  return (
    <ListItem disableGutters divider sx={{ display: 'block' }} data-alert-id={alert.reportId}>
      <Stack direction="row" justifyContent="space-between" alignItems="flex-start" spacing={1}>
        <Box sx={{ minWidth: 0 }}>
          {showPatient && (
            <Typography variant="subtitle2" component="p">
              <Link component={RouterLink} to={href}>
                {alert.patientName}
              </Link>
              {alert.patientBirthDate && (
                <Typography component="span" variant="body2" color="text.secondary">
                  {' '}
                  · born {alert.patientBirthDate}
                </Typography>
              )}
            </Typography>
          )}
          {alert.tests.map((t) => (
            <Typography key={t.observationId} variant="body2" sx={{ fontWeight: 600, color: 'error.main' }}>
              {criticalTestText(t)}
            </Typography>
          ))}
          <Typography variant="body2" color="text.secondary">
            Filed {formatDateTime(alert.filedAt)} · acknowledge by {formatDateTime(alert.deadlineAt)}
            {alert.escalationLevel > 0 && ` · escalated (level ${alert.escalationLevel})`}
          </Typography>
        </Box>
        <Stack direction="row" spacing={1} alignItems="center" sx={{ flexShrink: 0 }}>
          {alert.overdue && <Chip size="small" color="error" label="Overdue" />}
          {!showPatient && (
            <Button size="small" component={RouterLink} to={href}>
              Open
            </Button>
          )}
          {can(user, 'results:acknowledge') && (
            <Button
              size="small"
              variant="contained"
              color="error"
              disabled={ack.isPending}
              onClick={() => ack.mutate()}
              aria-label={`Acknowledge ${alert.tests.map((t) => t.display).join(', ')} for ${alert.patientName}`}
            >
              Acknowledge
            </Button>
          )}
        </Stack>
      </Stack>
      <ErrorAlert error={ack.error} />
    </ListItem>
  );
}

/** The clinician's worklist of critical results nobody has acknowledged yet, most urgent first. */
export function CriticalResultsList() {
  const q = useQuery({
    queryKey: ['results', 'critical'],
    queryFn: () => resultsApi.unacknowledgedCritical(),
    refetchInterval: 30_000,
  });
  if (q.isLoading) return <LoadingState label="Loading critical results…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data?.items.length) return <Typography role="status">No critical results waiting.</Typography>;
  return (
    <List dense aria-label="Unacknowledged critical results">
      {q.data.items.map((a) => (
        <CriticalAlertItem key={a.reportId} alert={a} showPatient />
      ))}
    </List>
  );
}

/** In a chart: this patient's critical results still waiting, whatever road they came by (report or lone value). */
export function PatientCriticalAlerts({ patientId }: { patientId: string }) {
  const q = useQuery({
    queryKey: ['results', 'critical', patientId],
    queryFn: () => resultsApi.unacknowledgedCritical(patientId),
  });
  if (!q.data?.items.length) return null;
  return (
    // A region, not role="alert": it is part of the chart as it opens, not an interruption (nor an error).
    <Alert
      severity="error"
      role="region"
      sx={{ mb: 2, '& .MuiAlert-message': { width: '100%' } }}
      aria-label="Critical results waiting"
    >
      <Typography variant="subtitle2" component="h3">
        {q.data.items.length} critical result{q.data.items.length > 1 ? 's' : ''} awaiting acknowledgement
      </Typography>
      <List dense disablePadding>
        {q.data.items.map((a) => (
          <CriticalAlertItem key={a.reportId} alert={a} showPatient={false} />
        ))}
      </List>
    </Alert>
  );
}
