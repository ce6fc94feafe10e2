import {
  Box,
  Button,
  Chip,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { FlowsheetRow } from '@wintehr/contracts';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { isCriticalFlag, resultsApi } from './results-api';
import { TrendSvg } from './TrendSvg';

type Category = 'all' | 'laboratory' | 'vital-signs';
const SECTION: Record<FlowsheetRow['category'], string> = { 'vital-signs': 'Vital signs', laboratory: 'Laboratory' };

function Cell({ cell }: { cell: FlowsheetRow['cells'][number] }) {
  if (!cell) return <TableCell aria-label="not measured">·</TableCell>;
  const abnormal = cell.flag && cell.flag !== 'N';
  const critical = isCriticalFlag(cell.flag);
  return (
    <TableCell
      title={formatDateTime(cell.at)}
      sx={{
        fontWeight: abnormal ? 700 : undefined,
        color: critical ? 'error.main' : abnormal ? 'warning.dark' : undefined,
        whiteSpace: 'nowrap',
      }}
    >
      {cell.value}
      {abnormal && ` ${cell.flag}`}
    </TableCell>
  );
}

function rangeText(r: FlowsheetRow['referenceRange'], unit: string | undefined): string {
  if (r.text) return r.text;
  if (r.low !== undefined && r.high !== undefined) return `${r.low}–${r.high}`;
  if (r.high !== undefined) return `≤ ${r.high}`;
  if (r.low !== undefined) return `≥ ${r.low}`;
  return unit ? '' : '—';
}

/** Labs and vitals over time: a row per test, a column per day (newest first), a graph per row on demand. */
export function FlowsheetView({ patientId }: { patientId: string }) {
  const [category, setCategory] = useState<Category>('all');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const q = useQuery({
    queryKey: ['patient', patientId, 'flowsheet', category],
    queryFn: () => resultsApi.flowsheet(patientId, category),
  });
  const toggle = (key: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Flowsheet">
      <ToggleButtonGroup
        size="small"
        exclusive
        value={category}
        onChange={(_, v: Category | null) => v && setCategory(v)}
        aria-label="Which results"
        sx={{ mb: 1 }}
      >
        <ToggleButton value="all">Labs and vitals</ToggleButton>
        <ToggleButton value="laboratory">Labs</ToggleButton>
        <ToggleButton value="vital-signs">Vitals</ToggleButton>
      </ToggleButtonGroup>
      {q.isLoading && <LoadingState label="Loading the flowsheet…" />}
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      {q.data && !q.data.rows.length && <EmptyState>No results or vitals recorded.</EmptyState>}
      {q.data && q.data.rows.length > 0 && (
        <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Flowsheet values">
          <Table size="small" aria-label="Flowsheet" stickyHeader>
            <TableHead>
              <TableRow>
                <TableCell sx={{ minWidth: 200 }}>Test</TableCell>
                <TableCell>Range</TableCell>
                {q.data.columns.map((d) => (
                  <TableCell key={d} sx={{ whiteSpace: 'nowrap' }}>
                    {formatDate(d)}
                  </TableCell>
                ))}
                <TableCell>Graph</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {q.data.rows.map((r, i) => {
                const key = `${r.category}|${r.code}`;
                const first = i === 0 || q.data.rows[i - 1]!.category !== r.category;
                const shown = open.has(key);
                return (
                  <Fragment key={key}>
                    {first && (
                      <TableRow>
                        <TableCell colSpan={q.data.columns.length + 3} sx={{ bgcolor: 'action.hover' }}>
                          <Typography variant="subtitle2" component="h3">
                            {SECTION[r.category]}
                          </Typography>
                        </TableCell>
                      </TableRow>
                    )}
                    <TableRow data-code={r.code}>
                      <TableCell>
                        {r.display}
                        {r.unit && (
                          <Typography component="span" variant="body2" color="text.secondary">
                            {' '}
                            ({r.unit})
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{rangeText(r.referenceRange, r.unit)}</TableCell>
                      {r.cells.map((c, j) => (
                        <Cell key={q.data.columns[j]} cell={c} />
                      ))}
                      <TableCell>
                        {r.points.length > 1 ? (
                          <Button size="small" aria-expanded={shown} onClick={() => toggle(key)}>
                            {shown ? 'Hide graph' : 'Graph'}
                          </Button>
                        ) : (
                          <Chip size="small" variant="outlined" label="1 value" />
                        )}
                      </TableCell>
                    </TableRow>
                    {shown && (
                      <TableRow>
                        <TableCell colSpan={q.data.columns.length + 3}>
                          <TrendSvg
                            points={r.points.map((p) => ({ date: p.at, value: p.value }))}
                            range={r.referenceRange}
                            width={560}
                            height={120}
                            label={`${r.display} over ${r.points.length} values, latest ${r.points.at(-1)!.value} ${r.unit ?? ''}`}
                          />
                        </TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
        </Box>
      )}
    </Paper>
  );
}
