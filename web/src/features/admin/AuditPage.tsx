import {
  Box,
  Button,
  Chip,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
} from '@mui/material';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime, localInputToIso } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { adminApi, type AuditFilters, type AuditRecord } from './admin-api';

/** Audit details are ids, codes and counts; long ones are cut here and shown whole on hover. */
function detailsPreview(details: Record<string, unknown> | undefined): string {
  if (!details) return '—';
  const text = JSON.stringify(details);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

const OUTCOME_COLOR = { success: 'success', denied: 'warning', failure: 'error' } as const;

function ChainStatus() {
  const verify = useQuery({ queryKey: ['admin', 'audit', 'verify'], queryFn: adminApi.verifyAudit, staleTime: 0 });
  if (verify.isLoading) return <Chip label="Verifying the chain…" variant="outlined" />;
  if (verify.error || !verify.data)
    return <Chip label="Chain verification failed to run" color="error" onClick={() => void verify.refetch()} />;
  const v = verify.data;
  return (
    <Tooltip
      title={
        v.ok
          ? `Every record's hash links to the previous one (head #${v.headId ?? '—'}). Click to verify again.`
          : (v.reason ?? '')
      }
    >
      <Chip
        data-testid="chain-status"
        role="status"
        clickable
        onClick={() => void verify.refetch()}
        color={v.ok ? 'success' : 'error'}
        label={v.ok ? `Chain verified: ${v.checked} records` : `Chain BROKEN at #${v.firstBrokenId ?? '?'}`}
      />
    </Tooltip>
  );
}

const EMPTY = { patient: '', user: '', action: '', outcome: '', from: '', to: '' };

/** The audit trail, newest first, filtered and keyset-paged, with the hash-chain verification status. */
export function AuditPage() {
  const [form, setForm] = useState(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>({});
  const audit = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam }) => adminApi.audit(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    // The trail grows by the second: going back to a filter seen before must not show its old first page.
    staleTime: 0,
  });
  const records: AuditRecord[] = audit.data?.pages.flatMap((p) => p.records) ?? [];
  const set = (k: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      patient: form.patient.trim() || undefined,
      user: form.user.trim() || undefined,
      action: form.action.trim() || undefined,
      outcome: form.outcome || undefined,
      from: localInputToIso(form.from),
      to: localInputToIso(form.to),
    });
  };

  return (
    <>
      <PageHeader title="Audit trail" actions={<ChainStatus />} />
      <Paper sx={{ p: 2, mb: 2 }} component="form" onSubmit={apply} noValidate aria-label="Audit filters">
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} flexWrap="wrap" useFlexGap>
          <TextField size="small" label="Patient id" value={form.patient} onChange={set('patient')} />
          <TextField size="small" label="User (username or id)" value={form.user} onChange={set('user')} />
          <TextField
            size="small"
            label="Action"
            placeholder="e.g. patient.read"
            value={form.action}
            onChange={set('action')}
          />
          <TextField
            size="small"
            select
            label="Outcome"
            value={form.outcome}
            onChange={set('outcome')}
            sx={{ minWidth: 140 }}
          >
            <MenuItem value="">Any</MenuItem>
            <MenuItem value="success">Success</MenuItem>
            <MenuItem value="denied">Denied</MenuItem>
            <MenuItem value="failure">Failure</MenuItem>
          </TextField>
          <TextField
            size="small"
            type="datetime-local"
            label="From"
            value={form.from}
            onChange={set('from')}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            size="small"
            type="datetime-local"
            label="To"
            value={form.to}
            onChange={set('to')}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <Button type="submit" variant="contained">
            Apply filters
          </Button>
          <Button
            onClick={() => {
              setForm(EMPTY);
              setFilters({});
            }}
          >
            Clear
          </Button>
        </Stack>
      </Paper>
      <Paper sx={{ p: 2 }}>
        {audit.isLoading && <LoadingState label="Loading audit records…" />}
        <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />
        {audit.data && records.length === 0 && <EmptyState>No audit records match these filters.</EmptyState>}
        {records.length > 0 && (
          <TableContainer tabIndex={0} role="region" aria-label="Audit records table">
            <Table size="small" aria-label="Audit records" sx={{ '& td': { whiteSpace: 'nowrap' } }}>
              <TableHead>
                <TableRow>
                  <TableCell>#</TableCell>
                  <TableCell>Time</TableCell>
                  <TableCell>User</TableCell>
                  <TableCell>Action</TableCell>
                  <TableCell>Outcome</TableCell>
                  <TableCell>Resource</TableCell>
                  <TableCell>Patient</TableCell>
                  <TableCell>Purpose</TableCell>
                  <TableCell>Client</TableCell>
                  <TableCell>Details</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {records.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>{r.id}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.occurredAt)}</TableCell>
                    <TableCell>
                      {r.username ?? r.clientId ?? '—'}
                      {r.role ? ` (${r.role})` : ''}
                    </TableCell>
                    <TableCell>
                      <code>{r.action}</code>
                    </TableCell>
                    <TableCell>
                      <Chip size="small" variant="outlined" color={OUTCOME_COLOR[r.outcome]} label={r.outcome} />
                    </TableCell>
                    <TableCell>
                      {r.resourceType ? `${r.resourceType}${r.resourceId ? `/${r.resourceId}` : ''}` : '—'}
                    </TableCell>
                    <TableCell>{r.patientId ?? '—'}</TableCell>
                    <TableCell>{r.purposeOfUse ?? '—'}</TableCell>
                    <TableCell>{r.clientIp ?? '—'}</TableCell>
                    <TableCell
                      sx={{ fontFamily: 'monospace', fontSize: '0.75rem' }}
                      title={r.details ? JSON.stringify(r.details) : undefined}
                    >
                      {detailsPreview(r.details)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        {audit.hasNextPage && (
          <Box sx={{ mt: 2, textAlign: 'center' }}>
            <Button variant="outlined" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
              {audit.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </Button>
          </Box>
        )}
      </Paper>
    </>
  );
}
