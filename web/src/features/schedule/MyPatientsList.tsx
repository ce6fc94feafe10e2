import { Button, Chip, Link, List, ListItem, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { reasonLabel, scheduleApi } from './schedule-api';

/** The home card's "My patients": care teams, assignments and today's appointments, each with why it is there. */
export function MyPatientsList({ max = 8 }: { max?: number }) {
  const list = useQuery({ queryKey: ['me', 'patients'], queryFn: () => scheduleApi.myPatients() });
  if (list.isLoading) return <LoadingState label="Loading your patients…" />;
  if (list.error) return <ErrorAlert error={list.error} title="Your patients could not be loaded" />;
  const patients = list.data?.patients ?? [];
  return (
    <>
      {patients.length === 0 ? (
        <Typography color="text.secondary">No patients on your care teams, assignments or schedule today.</Typography>
      ) : (
        <List dense aria-label="My patients">
          {patients.slice(0, max).map((p) => (
            <ListItem key={p.id} disableGutters divider sx={{ display: 'block' }}>
              <Stack direction="row" justifyContent="space-between" alignItems="center" spacing={1}>
                <Link component={RouterLink} to={`/patients/${p.id}`}>
                  {p.name}
                </Link>
                <Stack direction="row" spacing={0.5}>
                  {p.reasons.map((r) => (
                    <Chip
                      key={r}
                      size="small"
                      label={reasonLabel(r)}
                      color={r === 'appointment-today' ? 'primary' : 'default'}
                    />
                  ))}
                </Stack>
              </Stack>
              <Typography variant="body2" color="text.secondary">
                {p.why.join(' · ')}
              </Typography>
            </ListItem>
          ))}
        </List>
      )}
      {patients.length > max && (
        <Typography variant="body2" color="text.secondary">
          and {patients.length - max} more
        </Typography>
      )}
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        <Button variant="contained" component={RouterLink} to="/schedule">
          Today&apos;s schedule
        </Button>
        <Button variant="outlined" component={RouterLink} to="/patients">
          Search patients
        </Button>
      </Stack>
    </>
  );
}
