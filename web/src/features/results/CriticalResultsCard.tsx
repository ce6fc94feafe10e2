import { Chip, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { resultsApi } from './results-api';

/** The clinician's worklist of critical results nobody has acknowledged yet, oldest first. */
export function CriticalResultsList() {
  const q = useQuery({
    queryKey: ['results', 'critical'],
    queryFn: resultsApi.unacknowledgedCritical,
    refetchInterval: 60_000,
  });
  if (q.isLoading) return <LoadingState label="Loading critical results…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data?.items.length) return <Typography role="status">No critical results waiting.</Typography>;
  return (
    <List dense aria-label="Unacknowledged critical results">
      {q.data.items.map((a) => (
        <ListItem
          key={a.reportId}
          disableGutters
          secondaryAction={a.overdue ? <Chip size="small" color="error" label="Overdue" /> : undefined}
        >
          <ListItemText
            primary={
              <Link
                component={RouterLink}
                to={`/patients/${a.patientId}/results?report=${encodeURIComponent(a.reportId)}`}
              >
                Open critical result for Patient/{a.patientId}
              </Link>
            }
            secondary={`Filed ${formatDateTime(a.filedAt)} · acknowledge by ${formatDateTime(a.deadlineAt)} · LOINC ${a.codes.join(', ')}`}
          />
        </ListItem>
      ))}
    </List>
  );
}
