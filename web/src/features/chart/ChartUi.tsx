import {
  Autocomplete,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CodedConcept, CodeSystemName } from '@wintehr/contracts';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../core/api/api-error';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import type { Include } from './chart-api';

export { ItemTable, type Column } from '../../core/ui/ItemTable';

export function IncludeToggle({ value, onChange }: { value: Include; onChange: (v: Include) => void }) {
  return (
    <ToggleButtonGroup
      exclusive
      size="small"
      value={value}
      onChange={(_e, v: Include | null) => v && onChange(v)}
      aria-label="Which entries"
    >
      <ToggleButton value="current">Current</ToggleButton>
      <ToggleButton value="all">History</ToggleButton>
    </ToggleButtonGroup>
  );
}

/** A write that refreshes the patient's chart queries (and the summary) once it succeeds. */
export function useChartWrite<V, R>(patientId: string, fn: (v: V) => Promise<R>, onDone?: (r: R) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['patient', patientId] });
      onDone?.(r);
    },
  });
}

/** Field problems of a failed save keyed by the body field ("body.criticality" → "criticality"). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.fieldProblems.map((p) => [p.field.replace(/^body\./, ''), p.message]));
}

/** "Entered in error" needs a reason: the entry stays in the history with it. */
export function EnteredInErrorDialog({
  what,
  open,
  onClose,
  onConfirm,
  pending,
  error,
}: {
  what: string;
  open: boolean;
  onClose: () => void;
  onConfirm: (reason: string) => void;
  pending: boolean;
  error: unknown;
}) {
  const [reason, setReason] = useState('');
  const tooShort = reason.trim().length < 3;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Mark {what} entered in error</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <Box>It leaves the current list and stays in the history with your reason.</Box>
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            multiline
            minRows={2}
            error={!!fieldErrors(error).reason}
            helperText={fieldErrors(error).reason ?? 'At least 3 characters'}
            autoFocus
          />
          {!!error && !fieldErrors(error).reason && <ErrorAlert error={error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="error"
          variant="contained"
          disabled={tooShort || pending}
          onClick={() => onConfirm(reason.trim())}
        >
          Mark entered in error
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The add / edit dialog shell of a chart item: the form, the save failure under it, Cancel and Save. */
export function ChartItemDialog({
  title,
  maxWidth = 'md',
  onClose,
  onSave,
  pending,
  error,
  canSave = true,
  saveLabel = 'Save',
  children,
}: {
  title: ReactNode;
  maxWidth?: 'sm' | 'md';
  onClose: () => void;
  onSave: () => void;
  pending: boolean;
  /** Shown under the form; leave out a failure the form already shows against its field. */
  error: unknown;
  canSave?: boolean;
  saveLabel?: string;
  children: ReactNode;
}) {
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth={maxWidth}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {children}
          {!!error && <ErrorAlert error={error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={!canSave || pending} onClick={onSave}>
          {saveLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

const SYSTEM_LABEL: Record<CodeSystemName, string> = {
  snomed: 'SNOMED CT',
  rxnorm: 'RxNorm',
  icd10: 'ICD-10-CM',
  loinc: 'LOINC',
  cvx: 'CVX',
};

/** Pick a frequent concept or type any code of the allowed systems (the server checks it). */
export function ConceptField({
  label,
  systems,
  options,
  value,
  onChange,
  error,
}: {
  label: string;
  systems: CodeSystemName[];
  options: CodedConcept[];
  value: CodedConcept | undefined;
  onChange: (c: CodedConcept | undefined) => void;
  error?: string;
}) {
  const [manual, setManual] = useState(false);
  const [draft, setDraft] = useState<CodedConcept>({ system: systems[0]!, code: '', display: '' });
  const update = (d: CodedConcept) => {
    setDraft(d);
    onChange(d.code.trim() && d.display.trim() ? { ...d, code: d.code.trim(), display: d.display.trim() } : undefined);
  };
  if (manual)
    return (
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <TextField
          select
          label="System"
          value={draft.system}
          onChange={(e) => update({ ...draft, system: e.target.value as CodeSystemName })}
          sx={{ minWidth: 130 }}
        >
          {systems.map((s) => (
            <MenuItem key={s} value={s}>
              {SYSTEM_LABEL[s]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Code"
          value={draft.code}
          onChange={(e) => update({ ...draft, code: e.target.value })}
          error={!!error}
          helperText={error}
        />
        <TextField
          label={`${label} name`}
          value={draft.display}
          onChange={(e) => update({ ...draft, display: e.target.value })}
          fullWidth
        />
        <Button onClick={() => setManual(false)}>List</Button>
      </Stack>
    );
  return (
    <Stack direction="row" spacing={1} alignItems="flex-start">
      <Autocomplete
        fullWidth
        options={options}
        value={value && options.some((o) => o.code === value.code) ? options.find((o) => o.code === value.code)! : null}
        onChange={(_e, v) => onChange(v ?? undefined)}
        getOptionLabel={(o) => `${o.display} (${SYSTEM_LABEL[o.system]} ${o.code})`}
        isOptionEqualToValue={(a, b) => a.system === b.system && a.code === b.code}
        renderInput={(params) => <TextField {...params} label={label} error={!!error} helperText={error} />}
      />
      <Button onClick={() => setManual(true)} sx={{ whiteSpace: 'nowrap', mt: 1 }}>
        Other code
      </Button>
    </Stack>
  );
}
