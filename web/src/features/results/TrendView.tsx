import { Box, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { resultsApi } from './results-api';
import { trendSummary } from './trend-chart';
import { TrendSvg } from './TrendSvg';

/** Trend of one LOINC result for the patient: a small chart with the reference band, the summary and the values. */
export function TrendView({ patientId, code }: { patientId: string; code: string }) {
  const q = useQuery({
    queryKey: ['patient', patientId, 'results', 'trend', code],
    queryFn: () => resultsApi.trend(patientId, code),
  });
  if (q.isLoading) return <LoadingState label="Loading the trend…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const t = q.data!;
  const summary = trendSummary(t);
  if (!t.dataPoints.length) return <Typography variant="body2">{summary}</Typography>;
  return (
    <Box component="figure" sx={{ m: 0, mt: 1 }} data-testid={`trend-${code}`}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} alignItems={{ md: 'flex-start' }}>
        <TrendSvg points={t.dataPoints} range={t.referenceRange} label={summary} />
        <Box component="figcaption" sx={{ flex: 1 }}>
          <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 0.5 }}>
            <Chip size="small" label={`Trend: ${t.trend.replace('-', ' ')}`} variant="outlined" />
            <Typography variant="body2">
              Reference range {t.referenceRange.low ?? '—'}–{t.referenceRange.high ?? '—'} {t.unit} (shaded)
            </Typography>
          </Stack>
          <Typography variant="body2">{summary}</Typography>
          <Table size="small" aria-label={`${t.display} values over time`} sx={{ mt: 0.5, maxWidth: 420 }}>
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Value</TableCell>
                <TableCell>Flag</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {t.dataPoints
                .slice(-6)
                .reverse()
                .map((p) => (
                  <TableRow key={p.observationId ?? p.date}>
                    <TableCell>{formatDateTime(p.date)}</TableCell>
                    <TableCell>
                      {p.value} {p.unit ?? t.unit}
                    </TableCell>
                    <TableCell>{p.interpretation ?? '—'}</TableCell>
                  </TableRow>
                ))}
            </TableBody>
          </Table>
        </Box>
      </Stack>
    </Box>
  );
}
