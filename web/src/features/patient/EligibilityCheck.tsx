import VerifiedUserOutlinedIcon from '@mui/icons-material/VerifiedUserOutlined';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { benefitLines, eligibilityApi, headline, rejectionsOf } from './eligibility';

/**
 * "Check eligibility" in the chart banner: a real-time 270/271 through the clearinghouse, answered in a dialog
 * (active or not, plan, deductibles, copays, coinsurance) or with the payer's reason for rejecting the inquiry.
 */
export function EligibilityCheck({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const [open, setOpen] = useState(false);
  const check = useMutation({ mutationFn: () => eligibilityApi.check(patientId) });
  if (!can(user, 'patient:register')) return null;
  const run = () => {
    setOpen(true);
    check.mutate();
  };
  const r = check.data;
  const rejections = rejectionsOf(check.error);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<VerifiedUserOutlinedIcon />}
        onClick={run}
        disabled={check.isPending}
      >
        Check eligibility
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="eligibility-title">
        <DialogTitle id="eligibility-title">Insurance eligibility</DialogTitle>
        <DialogContent>
          {check.isPending && (
            <Box role="status" sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <CircularProgress size={20} /> Asking the payer…
            </Box>
          )}
          {rejections.length > 0 ? (
            <Alert severity="warning" role="alert">
              <AlertTitle>The payer could not confirm eligibility</AlertTitle>
              {rejections.map((m) => (
                <div key={m}>{m}</div>
              ))}
            </Alert>
          ) : (
            <ErrorAlert error={check.error} title="Eligibility could not be checked" onRetry={() => check.mutate()} />
          )}
          {r && (
            <>
              <Alert severity={headline(r).severity} data-testid="eligibility-status">
                {headline(r).text}
              </Alert>
              <Typography variant="body2" sx={{ mt: 1 }}>
                Member id <strong>{r.memberId}</strong> · date of service {formatDate(r.serviceDate)}
                {r.planPeriod?.start && ` · plan from ${formatDate(r.planPeriod.start)}`}
                {r.planPeriod?.end && ` to ${formatDate(r.planPeriod.end)}`}
              </Typography>
              {benefitLines(r.benefits).length > 0 && (
                <Table size="small" aria-label="Benefits" sx={{ mt: 1 }}>
                  <TableBody>
                    {benefitLines(r.benefits).map((b, i) => (
                      <TableRow key={i}>
                        <TableCell component="th" scope="row">
                          {b.label}
                          {b.detail && (
                            <Typography variant="caption" component="div" color="text.secondary">
                              {b.detail}
                            </Typography>
                          )}
                        </TableCell>
                        <TableCell align="right">
                          <strong>{b.value}</strong>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
              <Typography variant="caption" component="div" sx={{ mt: 1 }} color="text.secondary">
                Checked {formatDateTime(r.checkedAt)}
              </Typography>
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
