import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import type { PrescribeWarning } from '@wintehr/contracts';
import { useState } from 'react';
import { conceptText } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { medicationsApi, overrideRequired, versionConflict } from './medications-api';
import {
  dosageFormOf,
  dosageProblem,
  modifyBody,
  renewBody,
  renewFormOf,
  renewProblem,
  type DosageForm,
  type RenewForm,
} from './order-change-form';
import { DosageSelects } from './DosageSelects';
import { OverridePrompt } from './OverridePrompt';

type Blocked = { findings: PrescribeWarning[]; blockingIds: string[] };

const RENEW_FIELDS: ReadonlyArray<[keyof RenewForm, string, number]> = [
  ['quantity', 'Quantity', 120],
  ['refills', 'Refills', 100],
  ['daysSupply', 'Days supply', 120],
];

/**
 * Renew (same drug and sig; quantity, refills and days supply editable) or modify (new dose, route, frequency) an
 * order. Either writes a new order replacing the shown one, sent with the version on screen; the safety check runs
 * again and may ask for an override reason.
 */
export function ChangeOrderDialog({
  kind,
  order,
  onClose,
  onDone,
}: {
  kind: 'renew' | 'modify';
  order: fhir4.MedicationRequest;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [dosage, setDosage] = useState<DosageForm>(() => dosageFormOf(order));
  const [renew, setRenew] = useState<RenewForm>(() => renewFormOf(order));
  const [why, setWhy] = useState('');
  const [blocked, setBlocked] = useState<Blocked>();
  const [override, setOverride] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const name = conceptText(order.medicationCodeableConcept);
  const problem =
    (kind === 'modify' ? dosageProblem(dosage) : renewProblem(renew)) ??
    (blocked && override.trim().length < 5 ? 'Give an override reason' : undefined);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const ovr = blocked ? { reason: override.trim(), findingIds: blocked.blockingIds } : undefined;
    const version = order.meta?.versionId;
    try {
      const r =
        kind === 'renew'
          ? await medicationsApi.renew(order.id!, renewBody(renew, order, version, ovr))
          : await medicationsApi.modify(order.id!, modifyBody(dosage, version, why, ovr));
      onDone(
        `${name} ${kind === 'renew' ? 'renewed' : 'changed'}${r.override ? ' with a safety override' : ''}: ${
          r.medicationRequest.dosageInstruction?.[0]?.text ?? ''
        }`,
      );
    } catch (err) {
      const need = overrideRequired(err);
      if (need) setBlocked({ findings: need.findings, blockingIds: need.blockingFindingIds });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const setD = <K extends keyof DosageForm>(k: K, v: DosageForm[K]) => setDosage((d) => ({ ...d, [k]: v }));
  const setR = <K extends keyof RenewForm>(k: K, v: RenewForm[K]) => setRenew((d) => ({ ...d, [k]: v }));
  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="change-title">
      <DialogTitle id="change-title">
        {kind === 'renew' ? 'Renew' : 'Change dose of'} {name}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary">
          Current: {order.dosageInstruction?.[0]?.text ?? '—'}
        </Typography>
        {kind === 'modify' ? (
          <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ mt: 2 }}>
            <TextField
              size="small"
              label="Dose"
              required
              value={dosage.doseValue}
              onChange={(e) => setD('doseValue', e.target.value)}
              sx={{ width: 100 }}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            />
            <DosageSelects value={dosage} onChange={setD} unitLabel="Unit" fixedWidth />
            <TextField
              size="small"
              fullWidth
              label="Reason for the change"
              value={why}
              onChange={(e) => setWhy(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
          </Stack>
        ) : (
          <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ mt: 2 }}>
            {RENEW_FIELDS.map(([k, label, width]) => (
              <TextField
                key={k}
                size="small"
                label={label}
                value={renew[k]}
                onChange={(e) => setR(k, e.target.value)}
                sx={{ width }}
              />
            ))}
          </Stack>
        )}
        {blocked && (
          <OverridePrompt
            findings={blocked.findings}
            blockingIds={blocked.blockingIds}
            reason={override}
            onReason={setOverride}
          />
        )}
        {versionConflict(error) && (
          <Alert severity="warning" sx={{ mt: 2 }} role="alert">
            The order changed since you opened it. Close this dialog and reopen it from the refreshed list.
          </Alert>
        )}
        {!!error && !versionConflict(error) && <ErrorAlert error={error} title="Nothing was changed" />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || !!problem} title={problem}>
          {kind === 'renew' ? 'Sign renewal' : 'Sign change'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
