import {
  Alert,
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AvailableSlot, PortalAppointment } from '@wintehr/contracts';
import { useMemo, useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { PortalSection } from '../../core/ui/PortalSection';
import {
  appointmentKeys,
  appointmentsApi,
  bookingProblem,
  dayLabel,
  slotButtonName,
  slotsByDay,
  timeLabel,
  useAvailability,
  useMyAppointments,
  whenLabel,
} from './appointments-api';

const ANY = '';

/**
 * Book a visit (or, with ?reschedule=<id>, move one): provider and visit type, a day, a free time, the reason,
 * then confirm. A time someone else took meanwhile answers 409; the page says so and shows the times left.
 */
export function BookVisitPage() {
  const [params] = useSearchParams();
  const rescheduleId = params.get('reschedule') ?? undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [practitioner, setPractitioner] = useState(ANY);
  const [serviceType, setServiceType] = useState(ANY);
  const [day, setDay] = useState<string>();
  const [slot, setSlot] = useState<AvailableSlot>();
  const [reason, setReason] = useState('');
  const free = useAvailability(practitioner || undefined, serviceType || undefined);
  const mine = useMyAppointments();
  const moving = rescheduleId ? mine.data?.upcoming.find((a) => a.id === rescheduleId) : undefined;

  const timeZone = free.data?.timeZone ?? 'UTC';
  const days = useMemo(() => slotsByDay(free.data?.slots ?? [], timeZone), [free.data, timeZone]);
  const shownDay = days.find((d) => d.day === day) ?? days[0];
  const serviceTypes = [...new Set((free.data?.providers ?? []).flatMap((p) => p.serviceTypes))];

  const submit = useMutation({
    mutationFn: (s: AvailableSlot): Promise<PortalAppointment> =>
      rescheduleId
        ? appointmentsApi.reschedule(rescheduleId, s.slotId)
        : appointmentsApi.book({ slotId: s.slotId, reason: reason.trim() }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: appointmentKeys.all });
      navigate('/portal/appointments', { state: { done: rescheduleId ? 'rescheduled' : 'booked', id: a.id } });
    },
    onError: (err) => {
      if (bookingProblem(err).slotGone) {
        setSlot(undefined);
        void free.refetch();
      }
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (slot) submit.mutate(slot);
  };
  const problem = submit.error ? bookingProblem(submit.error) : undefined;
  const ready = !!slot && (!!rescheduleId || !!reason.trim()) && !submit.isPending;

  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title={rescheduleId ? 'Reschedule a visit' : 'Book a visit'} />
      {rescheduleId && moving && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Moving your visit of {whenLabel(moving.start, mine.data!.timeZone)}
          {moving.practitionerName ? ` with ${moving.practitionerName}` : ''}. Pick a new time below.
        </Alert>
      )}
      <Box component="form" onSubmit={onSubmit} noValidate>
        <PortalSection title="Who and what">
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <FormControl fullWidth>
              <InputLabel id="provider-label" shrink>
                Provider
              </InputLabel>
              <Select
                labelId="provider-label"
                displayEmpty
                notched
                label="Provider"
                value={practitioner}
                onChange={(e) => {
                  setPractitioner(e.target.value);
                  setDay(undefined);
                  setSlot(undefined);
                }}
              >
                <MenuItem value={ANY}>Any provider</MenuItem>
                {(free.data?.providers ?? []).map((p) => (
                  <MenuItem key={p.practitionerId} value={p.practitionerId}>
                    {p.name}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            <FormControl fullWidth>
              <InputLabel id="visit-type-label" shrink>
                Type of visit
              </InputLabel>
              <Select
                labelId="visit-type-label"
                displayEmpty
                notched
                label="Type of visit"
                value={serviceType}
                onChange={(e) => {
                  setServiceType(e.target.value);
                  setDay(undefined);
                  setSlot(undefined);
                }}
              >
                <MenuItem value={ANY}>Any type</MenuItem>
                {serviceTypes.map((t) => (
                  <MenuItem key={t} value={t}>
                    {t}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
          </Stack>
        </PortalSection>

        <PortalSection title="Day and time">
          {free.isLoading && <LoadingState label="Loading free times…" />}
          {free.error && (
            <ErrorAlert error={free.error} title="Free times could not be loaded" onRetry={() => void free.refetch()} />
          )}
          {free.data && days.length === 0 && (
            <EmptyState>No free times in the next two weeks. Please call the practice.</EmptyState>
          )}
          {shownDay && (
            <Stack spacing={2}>
              <FormControl fullWidth>
                <InputLabel id="day-label">Day</InputLabel>
                <Select
                  labelId="day-label"
                  label="Day"
                  value={shownDay.day}
                  onChange={(e) => {
                    setDay(e.target.value);
                    setSlot(undefined);
                  }}
                >
                  {days.map((d) => (
                    <MenuItem key={d.day} value={d.day}>
                      {`${dayLabel(d.day)} (${d.slots.length} free)`}
                    </MenuItem>
                  ))}
                </Select>
              </FormControl>
              <Typography id="times-label" variant="subtitle2" component="h3">
                Free times on {dayLabel(shownDay.day)} ({timeZone})
              </Typography>
              <ToggleButtonGroup
                exclusive
                aria-labelledby="times-label"
                value={slot?.slotId ?? null}
                onChange={(_, id: string | null) => setSlot(shownDay.slots.find((s) => s.slotId === id))}
                sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, '& .MuiToggleButton-root': { border: 1 } }}
              >
                {shownDay.slots.map((s) => (
                  <ToggleButton
                    key={s.slotId}
                    value={s.slotId}
                    aria-label={slotButtonName(timeLabel(s.start, timeZone), s.practitionerName, !practitioner)}
                    sx={{ minWidth: 96, borderRadius: 1 }}
                  >
                    <Box component="span" sx={{ display: 'flex', flexDirection: 'column', lineHeight: 1.2 }}>
                      <span>{timeLabel(s.start, timeZone)}</span>
                      {/* keeps time and name two words in the button's text (the column draws no space), as in its name */}
                      {!practitioner && ' '}
                      {!practitioner && (
                        <Box component="span" sx={{ fontSize: '0.7rem', textTransform: 'none' }}>
                          {s.practitionerName}
                        </Box>
                      )}
                    </Box>
                  </ToggleButton>
                ))}
              </ToggleButtonGroup>
            </Stack>
          )}
        </PortalSection>

        <PortalSection title="Confirm">
          <Stack spacing={2}>
            {!rescheduleId && (
              <TextField
                label="Reason for the visit"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                fullWidth
                multiline
                minRows={2}
                slotProps={{ htmlInput: { maxLength: 500 } }}
                helperText="A few words for your clinician. For an emergency, call 911."
              />
            )}
            <Typography data-testid="booking-summary">
              {slot
                ? `${whenLabel(slot.start, timeZone)} with ${slot.practitionerName}${slot.locationName ? `, ${slot.locationName}` : ''} (${slot.minutes} minutes)`
                : 'Choose a day and a free time above.'}
            </Typography>
            {problem && (
              <ErrorAlert
                error={submit.error}
                title={problem.slotGone ? `${problem.title}: please choose another time` : problem.title}
              />
            )}
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
              <Button type="submit" variant="contained" disabled={!ready}>
                {rescheduleId ? 'Move my visit to this time' : 'Book this visit'}
              </Button>
              <Button component={RouterLink} to="/portal/appointments">
                Back to my appointments
              </Button>
            </Stack>
          </Stack>
        </PortalSection>
      </Box>
    </Box>
  );
}
