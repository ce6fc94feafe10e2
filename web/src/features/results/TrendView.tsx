import { Box, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { resultsApi } from './results-api';
import { chartGeometry, trendSummary } from './trend-chart';

const W = 320;
const H = 90;

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
  const g = chartGeometry(t.dataPoints, t.referenceRange, W, H);
  const path = g.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
  return (
    <Box component="figure" sx={{ m: 0, mt: 1 }} data-testid={`trend-${code}`}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} alignItems={{ md: 'flex-start' }}>
        <Box
          component="svg"
          viewBox={`0 0 ${W} ${H}`}
          width={W}
          height={H}
          role="img"
          aria-label={summary}
          sx={{ border: 1, borderColor: 'divider', borderRadius: 1, flexShrink: 0, bgcolor: 'background.paper' }}
        >
          {g.band && (
            <rect
              x={0}
              y={g.band.top}
              width={W}
              height={Math.max(1, g.band.bottom - g.band.top)}
              fill="#2e7d32"
              opacity={0.12}
            />
          )}
          <path d={path} fill="none" stroke="#1565c0" strokeWidth={2} />
          {g.points.map((p) =>
            // Out-of-range values are squares as well as red, so the difference does not rest on colour alone.
            p.out ? (
              <rect key={p.date} x={p.x - 4} y={p.y - 4} width={8} height={8} fill="#c62828" />
            ) : (
              <circle key={p.date} cx={p.x} cy={p.y} r={3.5} fill="#1565c0" />
            ),
          )}
        </Box>
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
