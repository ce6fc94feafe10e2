import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalAppointment } from '@wintehr/contracts';
import { useState } from 'react';
import { Link as RouterLink, useLocation } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { PortalSection } from '../../core/ui/PortalSection';
import { appointmentKeys, appointmentsApi, bookingProblem, useMyAppointments, whenLabel } from './appointments-api';

const STATUS: Partial<Record<PortalAppointment['status'], string>> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  fulfilled: 'Seen',
  noshow: 'Missed',
  arrived: 'Arrived',
  'checked-in': 'Checked in',
};

function CancelDialog({
  appointment,
  when,
  onClose,
}: {
  appointment: PortalAppointment;
  when: string;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => appointmentsApi.cancel(appointment.id, reason.trim()),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: appointmentKeys.all });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} fullWidth aria-labelledby="cancel-title">
      <DialogTitle id="cancel-title">Cancel this visit?</DialogTitle>
      <DialogContent>
        <Typography gutterBottom>{when}</Typography>
        <TextField
          label="Why are you cancelling?"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          fullWidth
          autoFocus
          margin="dense"
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        {cancel.error && <ErrorAlert error={cancel.error} title={bookingProblem(cancel.error).title} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Keep it</Button>
        <Button
          color="error"
          variant="contained"
          disabled={!reason.trim() || cancel.isPending}
          onClick={() => cancel.mutate()}
        >
          Cancel visit
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function AppointmentItem({
  a,
  timeZone,
  cutoffHours,
  onCancel,
}: {
  a: PortalAppointment;
  timeZone: string;
  cutoffHours: number;
  onCancel?: () => void;
}) {
  const when = whenLabel(a.start, timeZone);
  return (
    <ListItem disableGutters divider sx={{ display: 'block' }} data-testid="portal-appointment" data-id={a.id}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
        <Typography variant="subtitle1" component="h3">
          {when}
        </Typography>
        <Chip size="small" label={STATUS[a.status] ?? a.status} color={a.status === 'booked' ? 'primary' : 'default'} />
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {[a.practitionerName, a.serviceType, a.locationName, a.minutes ? `${a.minutes} minutes` : undefined]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
      {a.reason && <Typography sx={{ overflowWrap: 'anywhere' }}>Reason: {a.reason}</Typography>}
      {a.cancelationReason && (
        <Typography variant="body2" color="text.secondary">
          Cancelled: {a.cancelationReason}
        </Typography>
      )}
      {onCancel && a.changeable && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mt: 1 }}>
          <Button
            variant="outlined"
            component={RouterLink}
            to={`/portal/appointments/book?reschedule=${encodeURIComponent(a.id)}`}
            aria-label={`Reschedule: ${when}`}
          >
            Reschedule
          </Button>
          <Button variant="outlined" color="error" onClick={onCancel} aria-label={`Cancel: ${when}`}>
            Cancel
          </Button>
        </Stack>
      )}
      {onCancel && a.status === 'booked' && !a.changeable && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Within {cutoffHours} hours of the start this visit can only be changed by calling the practice.
        </Typography>
      )}
    </ListItem>
  );
}

/** My appointments: upcoming ones (cancel, reschedule) and past or cancelled ones. */
export function MyAppointmentsPage() {
  const q = useMyAppointments();
  const location = useLocation();
  const done = (location.state as { done?: 'booked' | 'rescheduled' } | null)?.done;
  const [cancelling, setCancelling] = useState<PortalAppointment>();
  const data = q.data;
  const atLimit = !!data && data.upcoming.filter((a) => a.status === 'booked').length >= data.maxUpcoming;
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader
        title="Appointments"
        actions={
          <Button variant="contained" component={RouterLink} to="/portal/appointments/book" disabled={atLimit}>
            Book a visit
          </Button>
        }
      />
      {done && (
        <Alert severity="success" sx={{ mb: 2 }}>
          {done === 'booked' ? 'Your visit is booked.' : 'Your visit was moved.'} If we have your email or mobile
          number, you will get a reminder the day before.
        </Alert>
      )}
      {atLimit && (
        <Alert severity="info" sx={{ mb: 2 }}>
          You have {data.maxUpcoming} upcoming visits, the most that can be booked online. Cancel one or call the
          practice to book another.
        </Alert>
      )}
      {q.isLoading && <LoadingState label="Loading your appointments…" />}
      {q.error && (
        <ErrorAlert error={q.error} title="Your appointments could not be loaded" onRetry={() => void q.refetch()} />
      )}
      {data && (
        <>
          <PortalSection title="Upcoming">
            {data.upcoming.length === 0 ? (
              <Typography color="text.secondary">You have no upcoming visits.</Typography>
            ) : (
              <List disablePadding>
                {data.upcoming.map((a) => (
                  <AppointmentItem
                    key={a.id}
                    a={a}
                    timeZone={data.timeZone}
                    cutoffHours={data.cancelCutoffHours}
                    onCancel={() => setCancelling(a)}
                  />
                ))}
              </List>
            )}
          </PortalSection>
          <PortalSection title="Past and cancelled">
            {data.past.length === 0 ? (
              <Typography color="text.secondary">Nothing here yet.</Typography>
            ) : (
              <List disablePadding>
                {data.past.map((a) => (
                  <AppointmentItem key={a.id} a={a} timeZone={data.timeZone} cutoffHours={data.cancelCutoffHours} />
                ))}
              </List>
            )}
          </PortalSection>
          {cancelling && (
            <CancelDialog
              appointment={cancelling}
              when={whenLabel(cancelling.start, data.timeZone)}
              onClose={() => setCancelling(undefined)}
            />
          )}
        </>
      )}
    </Box>
  );
}
