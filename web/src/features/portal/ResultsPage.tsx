import { Box, Chip, Stack, Typography } from '@mui/material';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { useMyResults } from './portal-api';
import { POSITION_LABEL, trendSentence } from './portal-labels';
import { PortalSection } from '../../core/ui/PortalSection';
import { TierGate } from './TierGate';
import { TrendLine } from './TrendLine';

const CHIP_COLOR = { below: 'warning', above: 'warning', within: 'success', unknown: 'default' } as const;

/** Test results as soon as they are final (Cures Act), each value with its normal range in words and its trend. */
export function ResultsPage() {
  return (
    <TierGate area="results" title="Test results" what="Test results">
      <Results />
    </TierGate>
  );
}

function Results() {
  const q = useMyResults();
  if (q.isLoading) return <LoadingState label="Loading your results…" />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} title="Your results could not be loaded" />;
  const results = q.data.results;
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Test results" />
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Results appear here as soon as the lab finalises them, sometimes before your care team has reviewed them. If a
        result worries you, send your care team a message.
      </Typography>
      {results.length === 0 && <Typography color="text.secondary">You have no test results yet.</Typography>}
      {results.map((r) => (
        <PortalSection key={r.reportId} title={`${r.name}${r.date ? ` — ${formatDate(r.date)}` : ''}`}>
          <Stack spacing={2} data-report-id={r.reportId}>
            {r.values.map((v) => (
              <Box key={v.id} data-testid="result-value">
                <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                  <Typography variant="subtitle1" component="h3">
                    {v.name}
                  </Typography>
                  <Typography component="span" sx={{ fontWeight: 600 }}>
                    {v.value}
                    {v.unit ? ` ${v.unit}` : ''}
                  </Typography>
                  <Chip size="small" label={POSITION_LABEL[v.position]} color={CHIP_COLOR[v.position]} />
                </Stack>
                {v.rangeText && <Typography variant="body2">{v.rangeText}</Typography>}
                {v.trend.length > 1 && (
                  <Stack
                    direction={{ xs: 'column', sm: 'row' }}
                    spacing={1}
                    alignItems={{ sm: 'center' }}
                    sx={{ mt: 1 }}
                  >
                    <TrendLine points={v.trend} label={`Trend of ${v.name}`} />
                    <Typography variant="body2" color="text.secondary">
                      {trendSentence(v.name, v.trend, v.unit)}
                    </Typography>
                  </Stack>
                )}
              </Box>
            ))}
          </Stack>
        </PortalSection>
      ))}
    </Box>
  );
}
