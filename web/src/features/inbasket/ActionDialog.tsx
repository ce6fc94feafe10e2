import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InbasketActionName, InbasketActionResult, InbasketItem } from '@wintehr/contracts';
import { useState } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { inbasketApi, inbasketKeys } from './inbasket-api';
import { ACTION_LABELS, actionBody, DENIAL_REASONS, inputOf, isErxKind } from './inbasket-view';

/** Answers one item in place: asks for what the action needs (reason, reply, note), sends it, reports back. */
export function ActionDialog({
  item,
  action,
  onClose,
  onDone,
}: {
  item: InbasketItem;
  action: InbasketActionName;
  onClose: () => void;
  onDone: (r: InbasketActionResult) => void;
}) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const [reasonCode, setReasonCode] = useState('AA');
  const [problem, setProblem] = useState<string>();
  const input = inputOf(action);
  const erxDeny = action === 'deny' && isErxKind(item.kind);
  const m = useMutation({
    mutationFn: (body: Parameters<typeof inbasketApi.act>[1]) => inbasketApi.act(item.id, body),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: inbasketKeys.all });
      onDone(r);
    },
  });
  const submit = () => {
    const b = actionBody(action, value, erxDeny ? reasonCode : undefined);
    if ('error' in b) return setProblem(b.error);
    setProblem(undefined);
    m.mutate(b.body);
  };
  const label = input === 'reason' ? 'Reason' : input === 'text' ? 'Reply to the patient' : 'Note (optional)';
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="inbasket-action-title">
      <DialogTitle id="inbasket-action-title">
        {ACTION_LABELS[action]}: {item.title}
      </DialogTitle>
      <DialogContent>
        <DialogContentText gutterBottom>
          {item.patientName ?? 'Unknown patient'}
          {item.detail ? ` — ${item.detail}` : ''}
        </DialogContentText>
        {erxDeny && (
          <TextField
            select
            fullWidth
            margin="dense"
            label="Denial reason (NCPDP)"
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
          >
            {DENIAL_REASONS.map((r) => (
              <MenuItem key={r.code} value={r.code}>
                {r.code} — {r.label}
              </MenuItem>
            ))}
          </TextField>
        )}
        {input !== 'none' && (
          <TextField
            autoFocus
            fullWidth
            margin="dense"
            label={label}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            multiline={input === 'text'}
            minRows={input === 'text' ? 3 : undefined}
            required={input === 'reason' || input === 'text'}
            error={!!problem}
            helperText={problem}
          />
        )}
        {m.error && <ErrorAlert error={m.error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={submit} disabled={m.isPending}>
          {ACTION_LABELS[action]}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
