import {
  Chip,
  Link,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ImagingWorklistItem } from '@wintehr/contracts';
import { Link as RouterLink } from 'react-router-dom';
import { formatDate, formatDateTime, mrnText } from '../../core/format';
import {
  chartImagingPath,
  patientLabel,
  PRIORITY_COLORS,
  PRIORITY_LABELS,
  relativeTime,
  REPORT_STATE_COLORS,
  REPORT_STATE_LABELS,
  studyLabel,
} from './worklist-view';

function PatientCell({ p }: { p: ImagingWorklistItem['patient'] }) {
  const facts = [mrnText(p.mrn), p.birthDate && `born ${formatDate(p.birthDate)}`].filter(Boolean).join(' · ');
  return (
    <>
      <Typography variant="body2" component="span" sx={{ display: 'block', fontWeight: 500 }}>
        {patientLabel(p)}
      </Typography>
      {facts && (
        <Typography variant="caption" component="span" color="text.secondary">
          {facts}
        </Typography>
      )}
    </>
  );
}

/** The worklist in the API's order (most urgent, then longest waiting); the study link opens the chart's Imaging tab. */
export function WorklistTable({ items, now }: { items: readonly ImagingWorklistItem[]; now: Date }) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label="Imaging worklist table">
      <Table size="small" aria-label="Imaging worklist">
        <TableHead>
          <TableRow>
            <TableCell>Priority</TableCell>
            <TableCell>Study</TableCell>
            <TableCell>Patient</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Ordered by</TableCell>
            <TableCell>Report</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((i) => (
            <TableRow key={i.id} hover data-testid="worklist-row" data-study-uid={i.studyUid}>
              <TableCell>
                <Chip
                  size="small"
                  color={PRIORITY_COLORS[i.priority]}
                  variant={i.priority === 'routine' ? 'outlined' : 'filled'}
                  label={PRIORITY_LABELS[i.priority]}
                  data-testid="worklist-priority"
                />
              </TableCell>
              <TableCell>
                <Link component={RouterLink} to={chartImagingPath(i.patient.id, i.id)}>
                  {studyLabel(i)}
                </Link>
                <Typography variant="caption" component="span" color="text.secondary" sx={{ display: 'block' }}>
                  {i.numberOfSeries} series · {i.numberOfInstances} image{i.numberOfInstances === 1 ? '' : 's'}
                </Typography>
              </TableCell>
              <TableCell>
                <PatientCell p={i.patient} />
              </TableCell>
              <TableCell>
                {i.started ? (
                  <>
                    <Typography variant="body2" component="span" sx={{ display: 'block' }}>
                      {relativeTime(i.started, now)}
                    </Typography>
                    <Typography variant="caption" component="span" color="text.secondary">
                      <time dateTime={i.started}>{formatDateTime(i.started)}</time>
                    </Typography>
                  </>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>{i.order?.requester ?? '—'}</TableCell>
              <TableCell>
                <Chip
                  size="small"
                  variant="outlined"
                  color={REPORT_STATE_COLORS[i.report.state]}
                  label={REPORT_STATE_LABELS[i.report.state]}
                  data-testid="worklist-report-state"
                />
                {i.report.interpreter && (
                  <Typography variant="caption" component="span" color="text.secondary" sx={{ display: 'block' }}>
                    {i.report.interpreter}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
