import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import {
  Button,
  Chip,
  IconButton,
  Link,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppointmentAction, ScheduleItem } from '@wintehr/contracts';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { ACTION_LABEL, STATUS_LABEL, actionsFor, scheduleApi, shiftDate, timeOf } from './schedule-api';
import { useScheduleLive } from './useScheduleLive';
import { LiveStatus } from '../../core/realtime/LiveStatus';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function ScheduleRow({ item, timeZone, date }: { item: ScheduleItem; timeZone: string; date: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const act = useMutation({
    mutationFn: (action: AppointmentAction) => scheduleApi.act(item.appointmentId, action),
    onSuccess: (r, action) => {
      void queryClient.invalidateQueries({ queryKey: ['schedule', date] });
      if (item.patient) void queryClient.invalidateQueries({ queryKey: ['patient', item.patient.id, 'encounters'] });
      if (action === 'start-visit' && item.patient && r.encounterId) navigate(`/patients/${item.patient.id}`);
    },
  });
  const inProgress = item.encounter?.status === 'in-progress';
  const who = item.patient?.name ?? 'Unknown patient';
  return (
    <TableRow data-appointment-id={item.appointmentId}>
      <TableCell>
        <strong>{timeOf(item.start, timeZone)}</strong>
        {item.minutes ? <Typography variant="body2" color="text.secondary">{`${item.minutes} min`}</Typography> : null}
      </TableCell>
      <TableCell>
        {item.patient ? (
          <Link component={RouterLink} to={`/patients/${item.patient.id}`}>
            {who}
          </Link>
        ) : (
          who
        )}
        {item.patient?.mrn && (
          <Typography variant="body2" color="text.secondary">
            {item.patient.mrn}
            {item.patient.birthDate && ` · born ${item.patient.birthDate}`}
          </Typography>
        )}
      </TableCell>
      <TableCell>{item.description ?? item.type ?? '—'}</TableCell>
      <TableCell>
        <Chip
          size="small"
          label={inProgress ? 'Visit in progress' : STATUS_LABEL[item.status]}
          color={
            inProgress ? 'success' : item.status === 'cancelled' || item.status === 'noshow' ? 'default' : 'primary'
          }
          variant={inProgress || item.status === 'arrived' || item.status === 'checked-in' ? 'filled' : 'outlined'}
        />
      </TableCell>
      <TableCell align="right">
        <Stack direction="row" spacing={1} justifyContent="flex-end" flexWrap="wrap" useFlexGap>
          {actionsFor(item).map((a) => (
            <Button
              key={a}
              size="small"
              variant={a === 'start-visit' ? 'contained' : 'outlined'}
              disabled={act.isPending}
              onClick={() => act.mutate(a)}
              aria-label={`${ACTION_LABEL[a]}: ${who}`}
            >
              {ACTION_LABEL[a]}
            </Button>
          ))}
          {inProgress && item.patient && (
            <Button size="small" variant="contained" component={RouterLink} to={`/patients/${item.patient.id}`}>
              Open visit
            </Button>
          )}
        </Stack>
        {act.error && <ErrorAlert error={act.error} title="Not done" />}
      </TableCell>
    </TableRow>
  );
}

/** The signed-in clinician's day: appointments with patients, and check in → arrived → start visit. */
export function SchedulePage() {
  const [params, setParams] = useSearchParams();
  const asked = params.get('date') ?? '';
  const date = DATE_RE.test(asked) ? asked : undefined;
  const day = useQuery({ queryKey: ['schedule', date ?? 'today'], queryFn: () => scheduleApi.day(date) });
  // Patients booking, moving or cancelling in the portal show up here without a reload.
  const live = useScheduleLive();
  const shown = day.data?.date ?? date;
  const go = (d: string | undefined) => setParams(d ? { date: d } : {});
  return (
    <>
      <PageHeader
        title="Schedule"
        actions={
          <Stack direction="row" spacing={1} alignItems="center">
            <IconButton aria-label="Previous day" disabled={!shown} onClick={() => shown && go(shiftDate(shown, -1))}>
              <ChevronLeftIcon />
            </IconButton>
            <TextField
              type="date"
              size="small"
              label="Day"
              value={shown ?? ''}
              onChange={(e) => DATE_RE.test(e.target.value) && go(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <IconButton aria-label="Next day" disabled={!shown} onClick={() => shown && go(shiftDate(shown, 1))}>
              <ChevronRightIcon />
            </IconButton>
            <Button onClick={() => go(undefined)}>Today</Button>
            <LiveStatus status={live} />
          </Stack>
        }
      />
      {day.isLoading && <LoadingState label="Loading the schedule…" />}
      {day.error && (
        <ErrorAlert error={day.error} title="The schedule could not be loaded" onRetry={() => void day.refetch()} />
      )}
      {day.data && day.data.items.length === 0 && <EmptyState>No appointments on this day.</EmptyState>}
      {day.data && day.data.items.length > 0 && (
        <Paper sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label={`Appointments on ${day.data.date}`}>
            <TableHead>
              <TableRow>
                <TableCell>Time ({day.data.timeZone})</TableCell>
                <TableCell>Patient</TableCell>
                <TableCell>Visit</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {day.data.items.map((i) => (
                <ScheduleRow key={i.appointmentId} item={i} timeZone={day.data.timeZone} date={date ?? 'today'} />
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </>
  );
}
