import {
  Box,
  Chip,
  Link,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { formatDateTime, mrnText } from '../../core/format';
import type { QueueItem } from '@wintehr/contracts';
import {
  holderText,
  PRIORITY_LABELS,
  quantityText,
  SEVERITY_LABELS,
  severityColor,
  STATUS_LABELS,
  worstSeverity,
} from './queue-filters';

function SafetyCell({ item }: { item: QueueItem }) {
  if (item.findingsError)
    return <Chip size="small" color="warning" variant="outlined" label="Not screened" title={item.findingsError} />;
  if (!item.findings) return <>—</>;
  const worst = worstSeverity(item.findings);
  if (!worst) return <Typography variant="body2">No findings</Typography>;
  const n = item.findings.length;
  return (
    <Chip
      size="small"
      color={severityColor(worst)}
      label={`${n} finding${n === 1 ? '' : 's'} · ${SEVERITY_LABELS[worst]}`}
    />
  );
}

function PatientCell({ p }: { p: QueueItem['patient'] }) {
  const facts = [mrnText(p.mrn), p.ageYears !== undefined && `${p.ageYears} y`, p.gender].filter(Boolean).join(' · ');
  return (
    <>
      <Typography variant="body2" component="span" sx={{ display: 'block', fontWeight: 500 }}>
        {p.name ?? `Patient ${p.id}`}
      </Typography>
      {facts && (
        <Typography variant="caption" component="span" color="text.secondary">
          {facts}
        </Typography>
      )}
    </>
  );
}

/** The queue as a table: STAT first then newest (the API's order); each prescription opens its item view. */
export function QueueTable({ items, newIds }: { items: QueueItem[]; newIds: ReadonlySet<string> }) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label="Dispense queue table">
      <Table size="small" aria-label="Dispense queue">
        <TableHead>
          <TableRow>
            <TableCell>Priority</TableCell>
            <TableCell>Prescription</TableCell>
            <TableCell>Patient</TableCell>
            <TableCell>Quantity</TableCell>
            <TableCell>Prescriber</TableCell>
            <TableCell>Safety</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Written</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((i) => (
            <TableRow
              key={i.medicationRequestId}
              hover
              data-testid="queue-row"
              data-id={i.medicationRequestId}
              sx={newIds.has(i.medicationRequestId) ? { bgcolor: 'rgba(11, 83, 148, 0.06)' } : undefined}
            >
              <TableCell>
                {i.stat ? (
                  <Chip size="small" color="error" label={PRIORITY_LABELS[i.priority]} />
                ) : (
                  <Typography variant="body2">{PRIORITY_LABELS[i.priority]}</Typography>
                )}
              </TableCell>
              <TableCell>
                <Stack direction="row" spacing={1} alignItems="center">
                  <Link component={RouterLink} to={`/pharmacy/queue/${encodeURIComponent(i.medicationRequestId)}`}>
                    {i.drug.display ?? `Prescription ${i.medicationRequestId}`}
                  </Link>
                  {newIds.has(i.medicationRequestId) && <Chip size="small" color="primary" label="New" />}
                  {i.drug.deaSchedule && <Chip size="small" variant="outlined" label={`C-${i.drug.deaSchedule}`} />}
                </Stack>
              </TableCell>
              <TableCell>
                <PatientCell p={i.patient} />
              </TableCell>
              <TableCell>
                {quantityText(i.drug.quantity)}
                {i.quantityDispensed > 0 && (
                  <Box component="span" sx={{ display: 'block', fontSize: '0.75rem' }}>
                    {i.quantityDispensed} dispensed
                  </Box>
                )}
              </TableCell>
              <TableCell>{i.prescriber?.name ?? '—'}</TableCell>
              <TableCell>
                <SafetyCell item={i} />
              </TableCell>
              <TableCell>
                <Chip size="small" variant="outlined" label={STATUS_LABELS[i.status]} data-testid="queue-status" />
                <Typography
                  variant="caption"
                  component="span"
                  sx={{ display: 'block', mt: 0.5 }}
                  data-testid="queue-holder"
                >
                  {holderText(i)}
                </Typography>
              </TableCell>
              <TableCell>{formatDateTime(i.authoredOn ?? undefined)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
