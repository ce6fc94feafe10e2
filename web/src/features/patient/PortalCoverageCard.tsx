import { Alert, Box, Chip, List, ListItem, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PortalCoverage, PortalCoverageItem } from '@wintehr/contracts';
import { portalApi, useActingForId } from '../../core/portal/acting-for';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';

const CHIP: Record<PortalCoverageItem['eligibility'], { label: string; color: 'success' | 'warning' | 'default' }> = {
  active: { label: 'Active', color: 'success' },
  inactive: { label: 'Not active', color: 'warning' },
  unknown: { label: 'Not confirmed', color: 'default' },
  error: { label: 'Not confirmed', color: 'default' },
  'never-checked': { label: 'Not checked yet', color: 'default' },
};

/** The portal's insurance card: the patient's own coverage and what the payer last said, in plain words. */
export function PortalCoverageCard() {
  // The coverage of whom the portal acts for: the signed-in patient, or a child their parent acts for.
  const subject = useActingForId() ?? 'self';
  const q = useQuery({
    queryKey: ['portal', subject, 'coverage'],
    queryFn: () => portalApi.get<PortalCoverage>('/api/portal/coverage'),
  });
  if (q.isLoading) return <LoadingState label="Loading insurance…" />;
  if (q.error) return <ErrorAlert error={q.error} title="The insurance could not be loaded" />;
  const coverages = q.data?.coverages ?? [];
  if (!coverages.length)
    return <Typography color="text.secondary">No insurance is on file. Bring your card to your next visit.</Typography>;
  return (
    <Stack spacing={2}>
      {coverages.map((c) => (
        <Box key={c.coverageId} data-coverage-id={c.coverageId}>
          <Stack direction="row" spacing={1} alignItems="center">
            <Typography variant="subtitle1" component="h3">
              {c.payerName}
              {c.plan ? ` — ${c.plan}` : ''}
            </Typography>
            <Chip size="small" label={CHIP[c.eligibility].label} color={CHIP[c.eligibility].color} />
          </Stack>
          {c.memberId && (
            <Typography variant="body2" color="text.secondary">
              Member ID {c.memberId}
            </Typography>
          )}
          <Alert severity={c.eligibility === 'active' ? 'success' : 'info'} sx={{ mt: 1 }}>
            {c.summary}
          </Alert>
          {c.highlights.length > 0 && (
            <List dense aria-label={`What ${c.payerName} covers`}>
              {c.highlights.map((h) => (
                <ListItem key={h} disableGutters>
                  {h}
                </ListItem>
              ))}
            </List>
          )}
        </Box>
      ))}
    </Stack>
  );
}
