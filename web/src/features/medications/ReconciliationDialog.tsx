import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PrescribeWarning, ReconciliationLine, ReconciliationStatus } from '@wintehr/contracts';
import { useState } from 'react';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { medicationsApi, overrideRequired } from './medications-api';
import {
  ACTION_LABELS,
  actionsFor,
  choiceProblem,
  defaultChoice,
  reconciliationBody,
  type Action,
  type LineChoice,
} from './order-change-form';
import { OverridePrompt } from './OverridePrompt';

const STATUS: Record<ReconciliationStatus, { label: string; color: 'success' | 'warning' | 'info' | 'default' }> = {
  matched: { label: 'Matched', color: 'success' },
  'dose-differs': { label: 'Dose differs', color: 'warning' },
  'only-in-history': { label: 'Only in outside history', color: 'info' },
  'only-patient-reported': { label: 'Only patient-reported', color: 'info' },
  'only-ordered': { label: 'Only ordered', color: 'default' },
};

const dash = <Typography color="text.secondary">—</Typography>;

/**
 * Medication reconciliation: one row per drug (matched by ingredient on the server) with what the orders, the
 * outside dispensing history and the patient's own list say, and the clinician's decision per row. Saving applies
 * the decisions at once (an added order is screened like any prescription) and records who reconciled when.
 */
export function ReconciliationDialog({
  patientId,
  onClose,
  onSaved,
}: {
  patientId: string;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const q = useQuery({
    queryKey: ['patient', patientId, 'medication-reconciliation'],
    queryFn: ({ signal }) => medicationsApi.reconciliation(patientId, signal),
    staleTime: 0,
  });
  const [choices, setChoices] = useState<Record<string, LineChoice>>({});
  const [note, setNote] = useState('');
  const [blocked, setBlocked] = useState<{ lineKey: string; findings: PrescribeWarning[]; ids: string[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const lines = q.data?.lines ?? [];
  const choiceOf = (l: ReconciliationLine) => choices[l.key] ?? defaultChoice(l);
  const setChoice = (l: ReconciliationLine, c: Partial<LineChoice>) =>
    setChoices((all) => ({ ...all, [l.key]: { ...choiceOf(l), ...c } }));
  const problems = lines.map((l) => choiceProblem(l, choiceOf(l))).filter(Boolean);
  const body = reconciliationBody(lines, Object.fromEntries(lines.map((l) => [l.key, choiceOf(l)])), note);

  const save = async () => {
    if (!body) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await medicationsApi.saveReconciliation(patientId, body);
      onSaved(
        `Medication reconciliation saved (${saved.results.length} decision${saved.results.length === 1 ? '' : 's'}).`,
      );
    } catch (err) {
      const need = overrideRequired(err);
      if (need?.lineKey) {
        setBlocked({ lineKey: need.lineKey, findings: need.findings, ids: need.blockingFindingIds });
        const line = lines.find((l) => l.key === need.lineKey);
        if (line) setChoice(line, { override: choiceOf(line).override ?? '' });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="lg" aria-labelledby="recon-title">
      <DialogTitle id="recon-title">Medication reconciliation</DialogTitle>
      <DialogContent>
        {q.isLoading && <LoadingState label="Gathering orders, outside history and the patient's list…" />}
        {!!q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
        {q.data && (
          <>
            <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" sx={{ mb: 1 }}>
              {q.data.history.status === 'ok' ? (
                <Typography variant="body2" color="text.secondary">
                  Outside history retrieved {formatDateTime(q.data.history.retrievedAt)}
                </Typography>
              ) : (
                <Alert severity="warning" sx={{ py: 0 }}>
                  Outside dispensing history unavailable: {q.data.history.message}
                </Alert>
              )}
              {q.data.last && (
                <Typography variant="body2" color="text.secondary">
                  Last reconciled {formatDateTime(q.data.last.date)}
                </Typography>
              )}
            </Stack>
            {!lines.length && <Typography>No medications in any source.</Typography>}
            {!!lines.length && (
              <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Reconciliation table">
                <Table size="small" aria-label="Reconciliation">
                  <TableHead>
                    <TableRow>
                      <TableCell>Drug</TableCell>
                      <TableCell>Active order</TableCell>
                      <TableCell>Outside history</TableCell>
                      <TableCell>Patient&apos;s list</TableCell>
                      <TableCell sx={{ minWidth: 200 }}>Decision</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {lines.map((l) => {
                      const c = choiceOf(l);
                      const p = choiceProblem(l, c);
                      return (
                        <TableRow key={l.key} data-testid={`recon-row-${l.key}`} sx={{ verticalAlign: 'top' }}>
                          <TableCell>
                            <Typography fontWeight={600}>{l.display}</Typography>
                            <Chip
                              size="small"
                              color={STATUS[l.status].color}
                              label={STATUS[l.status].label}
                              sx={{ mt: 0.5 }}
                            />
                            {l.unidentified && (
                              <Typography variant="caption" display="block" color="warning.main">
                                Not identified in the drug database
                              </Typography>
                            )}
                          </TableCell>
                          <TableCell>
                            {l.order ? (
                              <>
                                {l.order.display}
                                <Typography variant="body2" color="text.secondary">
                                  {l.order.sig}
                                </Typography>
                              </>
                            ) : (
                              dash
                            )}
                          </TableCell>
                          <TableCell>
                            {l.history ? (
                              <>
                                {l.history.display}
                                <Typography variant="body2" color="text.secondary">
                                  {l.history.sig}
                                  {l.history.lastFillDate && ` · last fill ${formatDate(l.history.lastFillDate)}`}
                                  {l.history.pharmacyName && ` · ${l.history.pharmacyName}`}
                                </Typography>
                              </>
                            ) : (
                              dash
                            )}
                          </TableCell>
                          <TableCell>
                            {l.patientReported ? (
                              <>
                                {l.patientReported.display}
                                <Typography variant="body2" color="text.secondary">
                                  {l.patientReported.dosageText}
                                </Typography>
                              </>
                            ) : (
                              dash
                            )}
                          </TableCell>
                          <TableCell>
                            <TextField
                              select
                              size="small"
                              fullWidth
                              label={`Decision for ${l.display}`}
                              value={c.action}
                              onChange={(e) => setChoice(l, { action: e.target.value as Action })}
                            >
                              {actionsFor(l).map((a) => (
                                <MenuItem key={a} value={a}>
                                  {ACTION_LABELS[a]}
                                </MenuItem>
                              ))}
                            </TextField>
                            {c.action !== 'skip' && c.action !== 'continue' && (
                              <TextField
                                size="small"
                                fullWidth
                                sx={{ mt: 1 }}
                                label={
                                  c.action === 'discontinue' ? `Reason for ${l.display}` : `Comment for ${l.display}`
                                }
                                required={c.action === 'discontinue'}
                                value={c.reason}
                                onChange={(e) => setChoice(l, { reason: e.target.value })}
                                error={!!p && c.action === 'discontinue'}
                                slotProps={{ htmlInput: { maxLength: 500 } }}
                              />
                            )}
                            {blocked?.lineKey === l.key && c.action === 'add-to-orders' && (
                              <OverridePrompt
                                findings={blocked.findings}
                                blockingIds={blocked.ids}
                                reason={c.override ?? ''}
                                onReason={(v) => setChoice(l, { override: v })}
                                label={`Override reason for ${l.display}`}
                              />
                            )}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </Box>
            )}
            <TextField
              size="small"
              fullWidth
              sx={{ mt: 2 }}
              label="Reconciliation note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
            <Box sx={{ mt: 1 }}>
              <ErrorAlert error={error} title="The reconciliation was not saved" />
            </Box>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={busy || !body || problems.length > 0}
          title={problems[0] ?? (!body ? 'Decide on at least one line' : undefined)}
        >
          Save reconciliation
        </Button>
      </DialogActions>
    </Dialog>
  );
}
