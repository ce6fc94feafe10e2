import { List, ListItem, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PortalCoverage } from '@wintehr/contracts';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { portalApi, useActingForId } from './acting-for';

/**
 * The insurance of the patient one acts for. The app's coverage card reads the signed-in patient's own; this one
 * sends the acting-for header (same answer shape, plainer layout).
 */
export function ProxyCoverage() {
  const actingFor = useActingForId();
  const q = useQuery({
    queryKey: ['portal', actingFor ?? 'self', 'coverage'],
    queryFn: () => portalApi.get<PortalCoverage>('/api/portal/coverage'),
  });
  if (q.isLoading) return <LoadingState label="Loading insurance…" />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} title="The insurance could not be loaded" />;
  if (!q.data.coverages.length) return <Typography color="text.secondary">No insurance is on file.</Typography>;
  return (
    <List disablePadding>
      {q.data.coverages.map((c) => (
        <ListItem key={c.coverageId} disableGutters>
          <ListItemText
            primary={`${c.payerName}${c.plan ? ` — ${c.plan}` : ''}`}
            secondary={[c.memberId ? `Member ID ${c.memberId}` : null, c.summary].filter(Boolean).join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}
