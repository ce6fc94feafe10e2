import PrintIcon from '@mui/icons-material/Print';
import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { CsDrugTable, type CsTableContext } from './CsDrugTable';
import { monthPeriod, periodFromSearch, periodLabel, periodProblems, periodQuery, type CsPeriod } from './cs-period';
import { CsPrintStyles, noPrint, printOnly } from './CsPrintStyles';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';

function PeriodPicker({ period, onChange }: { period: CsPeriod; onChange: (p: CsPeriod) => void }) {
  const problems = periodProblems(period);
  return (
    <Stack
      role="group"
      aria-label="Period"
      direction={{ xs: 'column', sm: 'row' }}
      spacing={2}
      alignItems={{ sm: 'flex-start' }}
      sx={{ mb: 2, ...noPrint }}
    >
      <TextField
        label="First day"
        type="date"
        size="small"
        value={period.from}
        onChange={(e) => onChange({ ...period, from: e.target.value })}
        error={!!problems.from}
        helperText={problems.from}
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <TextField
        label="Last day"
        type="date"
        size="small"
        value={period.to}
        onChange={(e) => onChange({ ...period, to: e.target.value })}
        error={!!problems.to}
        helperText={problems.to}
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <Button variant="outlined" onClick={() => onChange(monthPeriod(new Date()))}>
        This month
      </Button>
      <Button variant="outlined" onClick={() => onChange(monthPeriod(new Date(), -1))}>
        Last month
      </Button>
    </Stack>
  );
}

/**
 * The controlled-substance perpetual inventory (DEA schedules II–V) for a period: per drug the opening balance,
 * receipts, dispenses, closing balance and whether the log reconciles, with every entry. Printable as the paper
 * record an inspection asks for. No PHI: entries name lots and accounts, not patients.
 */
export function CsLogPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const period = periodFromSearch(params, new Date());
  const valid = Object.keys(periodProblems(period)).length === 0;
  const q = valid ? periodQuery(period) : undefined;
  const report = useQuery({
    queryKey: pharmacyKeys.csReport(q?.from ?? '', q?.to ?? ''),
    queryFn: ({ signal }) => pharmacyApi.csReport(q!.from, q!.to, signal),
    enabled: !!q,
    // A record for inspection: read afresh on every opening, never shown from a cache that predates the last
    // receipt or dispense (a stale copy would be on screen while the refetch runs).
    staleTime: 0,
    gcTime: 0,
  });
  // Lot numbers for the entries (the log keeps lot ids); empty lots included, as old entries point at them.
  const stock = useQuery({
    queryKey: [...pharmacyKeys.inventory, { includeEmpty: true }],
    queryFn: () => pharmacyApi.inventory(true),
  });
  const ctx = useMemo<CsTableContext>(() => {
    const lotNumbers = new Map<string, string>();
    const units = new Map<string, string>();
    for (const l of stock.data?.items ?? []) {
      units.set(l.ndc, l.unit.replace(/^\{(.*)\}$/, '$1'));
      for (const lot of l.lots) lotNumbers.set(lot.id, lot.lotNumber);
    }
    return { ...(user ? { me: { id: user.id, displayName: user.displayName } } : {}), lotNumbers, units };
  }, [stock.data, user]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (ndc: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (!n.delete(ndc)) n.add(ndc);
      return n;
    });

  const drugs = report.data?.drugs ?? [];
  const unreconciled = drugs.filter((d) => !d.reconciled);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <>
      <CsPrintStyles />
      {/* Offered once there is a report to print (and not shown disabled meanwhile). */}
      <PageHeader
        title="Controlled-substance log"
        actions={
          report.data && (
            <Button variant="contained" startIcon={<PrintIcon />} onClick={() => window.print()} sx={noPrint}>
              Print
            </Button>
          )
        }
      />
      <Paper
        sx={{ p: 2 }}
        component="section"
        aria-labelledby="cs-period-title"
        data-testid="cs-report"
        data-period={report.data ? `${period.from}/${period.to}` : undefined}
      >
        <PeriodPicker period={period} onChange={(p) => setParams({ from: p.from, to: p.to }, { replace: true })} />
        <Typography id="cs-period-title" variant="h6" component="h2" data-testid="cs-period">
          Perpetual inventory, {periodLabel(period)}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Schedules II–V at this pharmacy{report.data ? ` (${report.data.pharmacyOrgId})` : ''}. Times in {zone}.
          {report.data &&
            ` Generated ${formatDateTime(new Date(report.dataUpdatedAt).toISOString())}${user ? ` for ${user.displayName}` : ''}.`}
        </Typography>
        {report.isLoading && <LoadingState label="Loading the controlled-substance log…" />}
        <ErrorAlert error={report.error} title="The log could not be loaded" onRetry={() => void report.refetch()} />
        {report.data && drugs.length === 0 && (
          <EmptyState>No controlled substances have been received at this pharmacy yet.</EmptyState>
        )}
        {unreconciled.length > 0 && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="cs-unreconciled">
            {unreconciled.length} of {drugs.length} drug{drugs.length === 1 ? '' : 's'} do
            {unreconciled.length === 1 ? 'es' : ''} not reconcile for this period:{' '}
            {unreconciled.map((d) => d.name ?? `NDC ${d.ndcFormatted}`).join(', ')}. Their rows say why.
          </Alert>
        )}
        {report.data && drugs.length > 0 && unreconciled.length === 0 && (
          <Alert severity="success" sx={{ mb: 2 }} data-testid="cs-all-reconciled">
            Every drug reconciles: opening + received − dispensed = closing, entry by entry.
          </Alert>
        )}
        {drugs.length > 0 && (
          <>
            <Stack direction="row" spacing={1} sx={{ mb: 1, ...noPrint }}>
              <Button size="small" onClick={() => setExpanded(new Set(drugs.map((d) => d.ndc)))}>
                Show all entries
              </Button>
              <Button size="small" onClick={() => setExpanded(new Set())}>
                Hide all entries
              </Button>
              <Typography variant="caption" color="text.secondary" sx={{ alignSelf: 'center' }}>
                Printing includes every entry.
              </Typography>
            </Stack>
            <CsDrugTable lines={drugs} expanded={expanded} onToggle={toggle} ctx={ctx} />
            <Box sx={{ ...printOnly, mt: 4 }}>
              <Typography variant="body2" sx={{ mb: 3 }}>
                Counted and reviewed by (name, DEA registrant): ________________________________
              </Typography>
              <Typography variant="body2">
                Signature: ________________________________ &nbsp; Date: ______________
              </Typography>
            </Box>
          </>
        )}
      </Paper>
    </>
  );
}
