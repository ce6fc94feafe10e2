import { Box, Grid, Link, Paper, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { formatDate, formatDateTime } from '../../core/format';
import { EmptyState } from '../../core/ui/states';
import type { QueueItemDetail } from '@wintehr/contracts';
import { quantityText } from './queue-filters';

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Box
      component="dl"
      sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0 }}
    >
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {k}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {v}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** The prescription, the patient (with the context the screen used: age, weight, renal function) and past fills. */
export function ItemSummary({ item }: { item: QueueItemDetail }) {
  const d = item.drug;
  const p = item.patient;
  const ctx = item.patientContext ?? {};
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 7 }}>
        <Paper variant="outlined" sx={{ p: 2, height: '100%' }} component="section" aria-labelledby="rx-title">
          <Typography id="rx-title" variant="h6" component="h2" gutterBottom>
            Prescription
          </Typography>
          <Facts
            rows={[
              ['Medication', d.display ?? '—'],
              ['RxNorm', d.rxnorm ?? '—'],
              ['Directions', d.sig ?? '—'],
              ['Quantity', quantityText(d.quantity)],
              ['Days supply', d.daysSupply ?? '—'],
              ['Refills', d.refills ?? '—'],
              ['Substitution', d.substitutionAllowed === false ? 'Not allowed (dispense as written)' : 'Allowed'],
              ...(d.deaSchedule ? [['DEA schedule', `C-${d.deaSchedule}`] as [string, ReactNode]] : []),
              ['Prescriber', item.prescriber?.name ?? item.prescriber?.reference ?? '—'],
              ['Written', formatDateTime(item.authoredOn ?? undefined)],
              ['Prescription status', item.prescriptionStatus ?? '—'],
              [
                'Dispensed so far',
                `${item.quantityDispensed}${item.quantityRemaining !== undefined ? ` (${item.quantityRemaining} remaining)` : ''}`,
              ],
            ]}
          />
        </Paper>
      </Grid>
      <Grid size={{ xs: 12, md: 5 }}>
        <Paper variant="outlined" sx={{ p: 2, height: '100%' }} component="section" aria-labelledby="patient-title">
          <Typography id="patient-title" variant="h6" component="h2" gutterBottom>
            Patient
          </Typography>
          <Facts
            rows={[
              [
                'Name',
                <Link key="n" component={RouterLink} to={`/patients/${encodeURIComponent(p.id)}`}>
                  {p.name ?? `Patient ${p.id}`}
                </Link>,
              ],
              ['MRN', p.mrn ?? '—'],
              ['Age', ctx.ageYears ?? p.ageYears ?? '—'],
              ['Sex', ctx.sex ?? p.gender ?? '—'],
              ['Weight', ctx.weightKg !== undefined ? `${ctx.weightKg} kg` : 'Not recorded'],
              ['eGFR', ctx.egfr !== undefined ? `${ctx.egfr} mL/min/1.73m²` : 'Not recorded'],
            ]}
          />
        </Paper>
      </Grid>
      <Grid size={12}>
        <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="fills-title">
          <Typography id="fills-title" variant="h6" component="h2" gutterBottom>
            Dispenses
          </Typography>
          {item.dispenses.length === 0 ? (
            <EmptyState>Nothing dispensed yet.</EmptyState>
          ) : (
            <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Dispenses table">
              <Table size="small" aria-label="Dispenses">
                <TableHead>
                  <TableRow>
                    <TableCell>When</TableCell>
                    <TableCell>NDC</TableCell>
                    <TableCell>Lot</TableCell>
                    <TableCell>Expiry</TableCell>
                    <TableCell>Quantity</TableCell>
                    <TableCell>MedicationDispense</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {item.dispenses.map((x) => (
                    <TableRow key={x.id} data-testid="dispense-row">
                      <TableCell>{formatDateTime(x.dispensedAt)}</TableCell>
                      <TableCell>{x.ndc}</TableCell>
                      <TableCell>{x.lotNumber}</TableCell>
                      <TableCell>{formatDate(x.expiry)}</TableCell>
                      <TableCell>{x.quantity}</TableCell>
                      <TableCell>{x.medicationDispenseId ? <code>{x.medicationDispenseId}</code> : '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </Paper>
      </Grid>
    </Grid>
  );
}
