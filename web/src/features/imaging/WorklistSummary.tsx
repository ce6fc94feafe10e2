import { Button, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { worklistApi, worklistKeys } from './worklist-api';
import { waitingText } from './worklist-view';

/** The radiologist's home card: how many studies wait for a report (the worklist page's own cached query). */
export function WorklistSummary() {
  const q = useQuery({
    queryKey: worklistKeys.list('unreported'),
    queryFn: ({ signal }) => worklistApi.list('unreported', signal),
    staleTime: 30_000,
  });
  return (
    <>
      {q.isLoading && <LoadingState label="Loading the worklist…" />}
      <ErrorAlert error={q.error} title="The worklist could not be loaded" onRetry={() => void q.refetch()} />
      {q.data && (
        <Typography gutterBottom data-testid="worklist-waiting">
          {waitingText(q.data.items)}
        </Typography>
      )}
      <Button variant="contained" component={RouterLink} to="/imaging/worklist">
        Open the worklist
      </Button>
    </>
  );
}
