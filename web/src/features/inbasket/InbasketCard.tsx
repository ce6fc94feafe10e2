import { Button, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { INBASKET_KINDS } from '@wintehr/contracts';
import { Link as RouterLink } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { inbasketApi, inbasketKeys } from './inbasket-api';
import { KIND_LABELS } from './inbasket-view';

/** Home card: what is waiting in the in-basket, by kind. */
export function InbasketSummary() {
  const q = useQuery({ queryKey: inbasketKeys.counts, queryFn: inbasketApi.counts });
  if (q.isLoading) return <LoadingState label="Loading the in-basket…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const kinds = INBASKET_KINDS.filter((k) => (q.data?.byKind[k] ?? 0) > 0);
  return (
    <>
      {kinds.length ? (
        <List dense aria-label="In-basket by kind">
          {kinds.map((k) => (
            <ListItem key={k} disableGutters>
              <ListItemText primary={`${KIND_LABELS[k]}: ${q.data!.byKind[k]}`} />
            </ListItem>
          ))}
        </List>
      ) : (
        <Typography role="status" gutterBottom>
          Nothing waiting in your in-basket.
        </Typography>
      )}
      <Button variant="contained" component={RouterLink} to="/inbasket">
        Open the in-basket
      </Button>
    </>
  );
}
