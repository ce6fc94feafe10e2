import {
  Box,
  Button,
  Chip,
  Paper,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { conceptText } from '../../core/format';
import type { ResultEntry } from '@wintehr/contracts';
import { interpretationCode, isCriticalFlag, loincOf, referenceRangeText, resultsApi, valueText } from './results-api';
import { TrendView } from './TrendView';
import { FlowsheetView } from './FlowsheetView';
import { PatientCriticalAlerts } from './CriticalResultsCard';
import { PortalRelease } from './PortalRelease';

function Flag({ code }: { code: string | undefined }) {
  if (!code || code === 'N') return <>{code === 'N' ? 'normal' : '—'}</>;
  return (
    <Chip
      size="small"
      label={isCriticalFlag(code) ? `${code} critical` : code}
      color={isCriticalFlag(code) ? 'error' : 'warning'}
      variant={isCriticalFlag(code) ? 'filled' : 'outlined'}
    />
  );
}

function Report({ entry, patientId, focused }: { entry: ResultEntry; patientId: string; focused: boolean }) {
  const { user } = useAuth();
  const ref = useRef<HTMLElement>(null);
  const critical = entry.observations.some((o) => isCriticalFlag(interpretationCode(o)));
  // A critical report opened from the worklist shows the trend of its critical values straight away.
  const [trends, setTrends] = useState<ReadonlySet<string>>(
    () =>
      new Set(
        focused || (critical && !entry.acknowledged)
          ? entry.observations.filter((o) => isCriticalFlag(interpretationCode(o))).map((o) => o.id!)
          : [],
      ),
  );
  const toggle = (id: string) =>
    setTrends((t) => {
      const n = new Set(t);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  useEffect(() => {
    if (focused) {
      ref.current?.scrollIntoView({ block: 'start' });
      ref.current?.focus();
    }
  }, [focused]);
  const queryClient = useQueryClient();
  const ack = useMutation({
    mutationFn: () => resultsApi.acknowledge(entry.report.id!),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'results'] });
      void queryClient.invalidateQueries({ queryKey: ['results', 'critical'] });
    },
  });
  const title = conceptText(entry.report.code);
  return (
    <Paper
      variant="outlined"
      ref={ref}
      tabIndex={-1}
      data-report-id={entry.report.id}
      sx={{ p: 2, mb: 2, borderColor: critical ? 'error.main' : undefined, borderWidth: focused ? 2 : 1 }}
      component="section"
      aria-label={`Report ${title}`}
    >
      <Stack direction="row" justifyContent="space-between" alignItems="center" flexWrap="wrap" useFlexGap spacing={1}>
        <Box>
          <Typography variant="subtitle1" component="h3">
            {title}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {formatDateTime(entry.report.effectiveDateTime ?? entry.report.issued)} · {entry.report.status}
          </Typography>
        </Box>
        <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
          <PortalRelease patientId={patientId} reportId={entry.report.id!} status={entry.report.status} title={title} />
          {critical && <Chip color="error" label="Critical" />}
          {entry.acknowledged ? (
            <Chip variant="outlined" color="success" label={`Acknowledged ${formatDateTime(entry.acknowledged.at)}`} />
          ) : (
            can(user, 'results:acknowledge') && (
              <Button
                variant={critical ? 'contained' : 'outlined'}
                disabled={ack.isPending}
                onClick={() => ack.mutate()}
              >
                Acknowledge
              </Button>
            )
          )}
        </Stack>
      </Stack>
      <ErrorAlert error={ack.error} />
      <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={`${title} values`}>
        <Table size="small" aria-label={`${title} observations`}>
          <TableHead>
            <TableRow>
              <TableCell>Test</TableCell>
              <TableCell>Value</TableCell>
              <TableCell>Reference range</TableCell>
              <TableCell>Flag</TableCell>
              <TableCell>Trend</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entry.observations.map((o) => {
              const code = loincOf(o);
              const open = trends.has(o.id!);
              return (
                <Fragment key={o.id}>
                  <TableRow>
                    <TableCell>{conceptText(o.code)}</TableCell>
                    <TableCell sx={{ fontWeight: isCriticalFlag(interpretationCode(o)) ? 700 : undefined }}>
                      {valueText(o)}
                    </TableCell>
                    <TableCell>{referenceRangeText(o)}</TableCell>
                    <TableCell>
                      <Flag code={interpretationCode(o)} />
                    </TableCell>
                    <TableCell>
                      {code && (
                        <Button
                          size="small"
                          aria-expanded={open}
                          aria-controls={`trend-${o.id}`}
                          onClick={() => toggle(o.id!)}
                        >
                          {open ? 'Hide trend' : 'Show trend'}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                  {open && code && (
                    <TableRow id={`trend-${o.id}`}>
                      <TableCell colSpan={5}>
                        <TrendView patientId={patientId} code={code} />
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </Box>
    </Paper>
  );
}

/** Reports (newest first, with ranges, flags, trends and acknowledgement; ?report=<id> opens one) or the flowsheet. */
export function ResultsTab({ patientId }: { patientId: string }) {
  const [params, setParams] = useSearchParams();
  const focus = params.get('report');
  const view = params.get('view') === 'flowsheet' ? 'flowsheet' : 'reports';
  return (
    <>
      <PatientCriticalAlerts patientId={patientId} />
      <Tabs
        value={view}
        onChange={(_, v: string) => setParams(v === 'flowsheet' ? { view: v } : {}, { replace: true })}
        aria-label="Results view"
        sx={{ mb: 2 }}
      >
        <Tab value="reports" label="Reports" />
        <Tab value="flowsheet" label="Flowsheet" />
      </Tabs>
      {view === 'flowsheet' ? <FlowsheetView patientId={patientId} /> : <Reports patientId={patientId} focus={focus} />}
    </>
  );
}

function Reports({ patientId, focus }: { patientId: string; focus: string | null }) {
  const q = useQuery({ queryKey: ['patient', patientId, 'results'], queryFn: () => resultsApi.forPatient(patientId) });
  if (q.isLoading) return <LoadingState label="Loading results…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data?.results.length) return <EmptyState>No lab results.</EmptyState>;
  return (
    <>
      {q.data.results.map((e) => (
        <Report key={e.report.id} entry={e} patientId={patientId} focused={e.report.id === focus} />
      ))}
    </>
  );
}
