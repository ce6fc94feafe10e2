import AddIcon from '@mui/icons-material/Add';
import { Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Grid, Stack, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../core/api/api-error';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { conceptText, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi } from './chart-api';
import {
  FLAG_LABEL,
  VITAL_FIELDS,
  flagColor,
  formErrorsFromServer,
  vitalSetFromForm,
  vitalValue,
  worstFlag,
  type VitalField,
  type VitalForm,
} from './chart-rules';
import { ItemTable, useChartWrite, type Column } from './ChartUi';

/** A flag as a coloured chip (nothing for a normal value). */
function FlagChip({ o }: { o: fhir4.Observation }) {
  const flag = worstFlag(o);
  if (!flag || flag === 'N') return null;
  return <Chip size="small" color={flagColor(flag)} label={FLAG_LABEL[flag]} data-testid="vital-flag" />;
}

const columns: Column<fhir4.Observation>[] = [
  { label: 'Vital sign', cell: (o) => conceptText(o.code) },
  { label: 'Value', cell: (o) => vitalValue(o) },
  { label: 'Flag', cell: (o) => <FlagChip o={o} /> },
  {
    label: 'Reference',
    cell: (o) =>
      (o.component?.length ? o.component : [o])
        .map((c) => c.referenceRange?.[0])
        .filter((r) => !!r)
        .map((r) => `${r.low?.value ?? ''}–${r.high?.value ?? ''}`)
        .join(' / '),
  },
  { label: 'When', cell: (o) => formatDateTime(o.effectiveDateTime ?? o.issued) },
];

/** Vital signs, newest first, with flags; a set is recorded in one dialog (BMI computed by the server). */
export function VitalsTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const [recording, setRecording] = useState(false);
  const q = useQuery({ queryKey: ['patient', patientId, 'vitals'], queryFn: () => chartApi.vitals(patientId) });
  return (
    <>
      {can(user, 'vitals:record') && (
        <Stack direction="row" justifyContent="flex-end" sx={{ mb: 2 }}>
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setRecording(true)}>
            Record vitals
          </Button>
        </Stack>
      )}
      {q.isLoading && <LoadingState label="Loading vitals…" />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && <ItemTable label="Vitals" rows={q.data.items} columns={columns} empty="No vitals recorded." />}
      {recording && <VitalSetDialog patientId={patientId} onClose={() => setRecording(false)} />}
    </>
  );
}

function VitalSetDialog({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const [form, setForm] = useState<VitalForm>({});
  const [errors, setErrors] = useState<Partial<Record<VitalField, string>>>({});
  const prepared = vitalSetFromForm(form);
  const save = useChartWrite(patientId, () => chartApi.recordVitalSet(patientId, prepared.body!), onClose);
  const submit = () => {
    setErrors(prepared.errors);
    if (!prepared.body) return;
    save.mutate(undefined, {
      onError: (e) => e instanceof ApiError && setErrors(formErrorsFromServer(e.fieldProblems, prepared.fieldsOf)),
    });
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>Record vitals</DialogTitle>
      <DialogContent>
        <Grid container spacing={2} sx={{ mt: 1 }}>
          {VITAL_FIELDS.map((f) => (
            <Grid key={f.name} size={{ xs: 6, sm: 3 }}>
              <TextField
                fullWidth
                label={f.label}
                inputMode="decimal"
                value={form[f.name] ?? ''}
                onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}
                error={!!errors[f.name]}
                helperText={errors[f.name]}
              />
            </Grid>
          ))}
        </Grid>
        {!!save.error && !Object.keys(errors).length && <ErrorAlert error={save.error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={submit} disabled={save.isPending}>
          Save vitals
        </Button>
      </DialogActions>
    </Dialog>
  );
}
