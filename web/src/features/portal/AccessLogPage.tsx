import { Box, Button, Chip, List, ListItem, Stack, Typography } from '@mui/material';
import { useInfiniteQuery } from '@tanstack/react-query';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { useActingForId } from '../../core/portal/acting-for';
import { accessLogPage, portalKeys } from './portal-api';
import { TierGate } from './TierGate';
import { ACCESS_KIND_LABEL } from './portal-labels';
import { PortalSection } from '../../core/ui/PortalSection';

/** Who opened my chart: every access by someone else, from the tamper-evident audit trail, newest first. */
export function AccessLogPage() {
  return (
    <TierGate area="access-log" title="Who opened the chart" what="The access log">
      <AccessLog />
    </TierGate>
  );
}

function AccessLog() {
  const actingFor = useActingForId();
  const q = useInfiniteQuery({
    queryKey: portalKeys.accessLog(actingFor),
    queryFn: ({ pageParam }) => accessLogPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Who opened my chart" />
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Every time someone at the practice looks at or changes your record, it is written to a log that cannot be
        altered. Your own visits to the portal are not listed. If something looks wrong, send us a message.
      </Typography>
      <PortalSection title="Access to your record">
        {q.isLoading && <LoadingState label="Loading the access log…" />}
        {q.error && <ErrorAlert error={q.error} title="The access log could not be loaded" />}
        {!q.isLoading && !q.error && entries.length === 0 && (
          <Typography color="text.secondary">Nobody else has opened your record yet.</Typography>
        )}
        <List disablePadding aria-label="Accesses, newest first">
          {entries.map((e, i) => (
            <ListItem key={`${e.at}-${i}`} disableGutters divider sx={{ display: 'block' }} data-testid="access-entry">
              <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                <Typography component="span" sx={{ fontWeight: 600 }}>
                  {e.who}
                </Typography>
                <Typography component="span" color="text.secondary">
                  {e.role}
                </Typography>
                <Chip
                  size="small"
                  label={ACCESS_KIND_LABEL[e.kind]}
                  color={e.kind === 'break-glass' ? 'error' : e.kind === 'write' ? 'primary' : 'default'}
                />
              </Stack>
              <Typography variant="body2">
                {e.what} · {formatDateTime(e.at)}
              </Typography>
            </ListItem>
          ))}
        </List>
        {q.hasNextPage && (
          <Button sx={{ mt: 1 }} onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            Load more
          </Button>
        )}
      </PortalSection>
    </Box>
  );
}
