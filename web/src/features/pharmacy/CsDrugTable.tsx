import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Box,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { formatDateTime } from '../../core/format';
import {
  actorText,
  checkEntries,
  ENTRY_KIND_LABELS,
  lotText,
  qty,
  reconciliationProblem,
  signedQty,
} from './cs-display';
import { noPrint } from './CsPrintStyles';
import type { CsReportLine } from '@wintehr/contracts';

export interface CsTableContext {
  me?: { id: string; displayName: string };
  lotNumbers: ReadonlyMap<string, string>;
  units: ReadonlyMap<string, string>;
}

const drugName = (l: CsReportLine) => l.name ?? `RxNorm ${l.rxcui}`;
const mono = { fontFamily: 'monospace', fontSize: '0.75rem', wordBreak: 'break-all' } as const;

function ReconciledCell({ line }: { line: CsReportLine }) {
  return line.reconciled ? (
    <Chip
      size="small"
      color="success"
      variant="outlined"
      icon={<CheckCircleIcon />}
      label="Reconciled"
      data-testid="cs-reconciled"
    />
  ) : (
    <Chip size="small" color="error" icon={<ErrorIcon />} label="NOT reconciled" data-testid="cs-reconciled" />
  );
}

function EntriesTable({ line, ctx }: { line: CsReportLine; ctx: CsTableContext }) {
  const entries = line.entries ?? [];
  if (!entries.length)
    return (
      <Typography variant="body2" sx={{ py: 1 }}>
        No movements in this period; the balance carries over.
      </Typography>
    );
  return (
    <Table size="small" aria-label={`Log entries of ${drugName(line)}`}>
      <TableHead>
        <TableRow>
          <TableCell>Entry</TableCell>
          <TableCell>Time</TableCell>
          <TableCell>Movement</TableCell>
          <TableCell align="right">Quantity</TableCell>
          <TableCell align="right">Running balance</TableCell>
          <TableCell>Lot</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Reference</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {checkEntries(line.openingBalance, entries).map(({ entry: e, expectedBalance, broken }) => (
          <TableRow
            key={e.id}
            data-testid="cs-entry"
            data-reconciled={broken ? 'false' : undefined}
            sx={broken ? { bgcolor: 'rgba(211, 47, 47, 0.08)' } : undefined}
          >
            <TableCell>#{e.id}</TableCell>
            <TableCell>{formatDateTime(e.occurredAt)}</TableCell>
            <TableCell>{ENTRY_KIND_LABELS[e.kind]}</TableCell>
            <TableCell align="right">{signedQty(e.quantity)}</TableCell>
            <TableCell align="right">
              {qty(e.balanceAfter)}
              {broken && (
                <Box component="span" sx={{ display: 'block', color: 'error.main', fontWeight: 600 }}>
                  Expected {qty(expectedBalance)}
                </Box>
              )}
            </TableCell>
            <TableCell>{lotText(e.lotId, ctx.lotNumbers)}</TableCell>
            <TableCell>{actorText(e.userId, ctx.me)}</TableCell>
            <TableCell sx={mono}>
              {e.receiptId ? `Receipt ${e.receiptId}` : e.dispenseId ? `Dispense ${e.dispenseId}` : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function DrugRows({
  line,
  open,
  onToggle,
  ctx,
}: {
  line: CsReportLine;
  open: boolean;
  onToggle: () => void;
  ctx: CsTableContext;
}) {
  const problem = reconciliationProblem(line);
  const entriesId = `cs-entries-${line.ndc}`;
  const unit = ctx.units.get(line.ndc);
  return (
    <TableBody data-testid="cs-drug" data-ndc={line.ndc}>
      <TableRow
        data-reconciled={line.reconciled ? 'true' : 'false'}
        sx={line.reconciled ? undefined : { bgcolor: 'rgba(211, 47, 47, 0.08)' }}
      >
        <TableCell sx={{ ...noPrint, width: 48 }}>
          <IconButton
            size="small"
            aria-expanded={open}
            aria-controls={entriesId}
            onClick={onToggle}
            aria-label={`${open ? 'Hide' : 'Show'} entries of ${drugName(line)} (NDC ${line.ndcFormatted})`}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell component="th" scope="row">
          <Typography variant="body2" component="span" sx={{ display: 'block', fontWeight: 500 }}>
            {drugName(line)}
          </Typography>
          <Typography variant="caption" component="span" color="text.secondary">
            NDC {line.ndcFormatted}
            {unit ? ` · ${unit}` : ''}
          </Typography>
        </TableCell>
        <TableCell>
          <Chip size="small" variant="outlined" label={`C-${line.deaSchedule}`} />
        </TableCell>
        <TableCell align="right" data-testid="cs-opening">
          {qty(line.openingBalance)}
        </TableCell>
        <TableCell align="right" data-testid="cs-received">
          {qty(line.received)}
        </TableCell>
        <TableCell align="right" data-testid="cs-dispensed">
          {qty(line.dispensed)}
        </TableCell>
        <TableCell align="right" data-testid="cs-closing" sx={{ fontWeight: 600 }}>
          {qty(line.closingBalance)}
        </TableCell>
        <TableCell>
          <ReconciledCell line={line} />
          {problem && (
            <Typography variant="body2" color="error" sx={{ mt: 0.5, maxWidth: 320 }} data-testid="cs-problem">
              {problem}
            </Typography>
          )}
        </TableCell>
      </TableRow>
      <TableRow id={entriesId} data-print-entries sx={{ display: open ? 'table-row' : 'none' }}>
        <TableCell colSpan={8} sx={{ bgcolor: 'grey.50', py: 1 }}>
          <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
            {drugName(line)}: {line.movements} movement{line.movements === 1 ? '' : 's'} in the period
          </Typography>
          <EntriesTable line={line} ctx={ctx} />
        </TableCell>
      </TableRow>
    </TableBody>
  );
}

/** Per drug: schedule, opening, received, dispensed, closing, reconciled; each drug's entries expand below it. */
export function CsDrugTable({
  lines,
  expanded,
  onToggle,
  ctx,
}: {
  lines: CsReportLine[];
  expanded: ReadonlySet<string>;
  onToggle: (ndc: string) => void;
  ctx: CsTableContext;
}) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label="Controlled-substance log table">
      <Table size="small" aria-label="Controlled-substance balances">
        <TableHead>
          <TableRow>
            <TableCell sx={noPrint}>
              <Box
                component="span"
                sx={{ position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
              >
                Entries
              </Box>
            </TableCell>
            <TableCell>Drug</TableCell>
            <TableCell>Schedule</TableCell>
            <TableCell align="right">Opening balance</TableCell>
            <TableCell align="right">Received</TableCell>
            <TableCell align="right">Dispensed</TableCell>
            <TableCell align="right">Closing balance</TableCell>
            <TableCell>Reconciled</TableCell>
          </TableRow>
        </TableHead>
        {lines.map((l) => (
          <DrugRows key={l.ndc} line={l} open={expanded.has(l.ndc)} onToggle={() => onToggle(l.ndc)} ctx={ctx} />
        ))}
      </Table>
    </TableContainer>
  );
}
