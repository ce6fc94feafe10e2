import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { conceptText } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { medicationsApi } from './medications-api';
import { DISCONTINUE_REASONS, discontinueBody } from './order-change-form';

/** Discontinue an order: a coded reason is required (with an optional comment); the version shown is sent. */
export function DiscontinueDialog({
  order,
  onClose,
  onDone,
}: {
  order: fhir4.MedicationRequest;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [code, setCode] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const name = conceptText(order.medicationCodeableConcept);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await medicationsApi.discontinue(order.id!, discontinueBody(code, text, order.meta?.versionId));
      onDone(`${name} discontinued.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="dc-title">
      <DialogTitle id="dc-title">Discontinue {name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            select
            required
            size="small"
            label="Reason for discontinuing"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          >
            {DISCONTINUE_REASONS.map((r) => (
              <MenuItem key={r.code} value={r.code}>
                {r.display}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label="Comment"
            value={text}
            onChange={(e) => setText(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          <ErrorAlert error={error} title="Not discontinued" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color="error" onClick={() => void submit()} disabled={busy || !code}>
          Discontinue
        </Button>
      </DialogActions>
    </Dialog>
  );
}
