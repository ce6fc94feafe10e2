import { Alert, AlertTitle, Box, TextField } from '@mui/material';
import type { PrescribeWarning } from '@wintehr/contracts';

/** The findings the re-run safety check stopped an order on, and the override reason the prescriber must give. */
export function OverridePrompt({
  findings,
  blockingIds,
  reason,
  onReason,
  label = 'Override reason',
}: {
  findings: readonly PrescribeWarning[];
  blockingIds: readonly string[];
  reason: string;
  onReason: (v: string) => void;
  label?: string;
}) {
  const blocking = findings.filter((f) => blockingIds.includes(f.id));
  return (
    <Alert severity="error" role="alert" sx={{ mt: 2 }}>
      <AlertTitle>The safety check requires an override</AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {(blocking.length ? blocking : findings).map((f) => (
          <li key={f.id}>{f.message}</li>
        ))}
      </Box>
      <TextField
        size="small"
        fullWidth
        sx={{ mt: 1 }}
        label={label}
        required
        value={reason}
        onChange={(e) => onReason(e.target.value)}
        helperText="At least 5 characters; kept on the prescription and shown to the pharmacist"
        slotProps={{ htmlInput: { maxLength: 500 } }}
      />
    </Alert>
  );
}
