import { Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { isCriticalFlag, resultsApi } from './results-api';

const SHOWN = 10;

/** The summary's recent labs: each test's latest value, newest first, flags written out. */
export function RecentLabs({ patientId }: { patientId: string }) {
  const q = useQuery({
    queryKey: ['patient', patientId, 'flowsheet', 'laboratory'],
    queryFn: () => resultsApi.flowsheet(patientId, 'laboratory'),
  });
  if (q.isLoading) return <LoadingState label="Loading recent labs…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const latest = (q.data?.rows ?? [])
    .map((r) => ({ row: r, last: r.points.at(-1)! }))
    .sort((a, b) => Date.parse(b.last.at) - Date.parse(a.last.at))
    .slice(0, SHOWN);
  if (!latest.length) return <EmptyState>No lab results.</EmptyState>;
  return (
    <>
      <Table size="small" aria-label="Recent labs">
        <TableHead>
          <TableRow>
            <TableCell>Test</TableCell>
            <TableCell>Latest</TableCell>
            <TableCell>Date</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {latest.map(({ row, last }) => {
            const abnormal = last.flag && last.flag !== 'N';
            return (
              <TableRow key={row.code}>
                <TableCell>{row.display}</TableCell>
                <TableCell
                  sx={{
                    fontWeight: abnormal ? 700 : undefined,
                    color: isCriticalFlag(last.flag) ? 'error.main' : undefined,
                  }}
                >
                  {last.value} {last.unit ?? row.unit ?? ''}
                  {abnormal && ` (${last.flag})`}
                </TableCell>
                <TableCell>{formatDate(last.at)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Typography variant="body2" sx={{ mt: 1 }}>
        <Link component={RouterLink} to={`/patients/${patientId}/results?view=flowsheet`}>
          All results (flowsheet)
        </Link>
      </Typography>
    </>
  );
}
