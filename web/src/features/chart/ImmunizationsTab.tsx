import AddIcon from '@mui/icons-material/Add';
import {
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { IMMUNIZATION_NOT_DONE_REASONS, type CodedConcept, type ImmunizationBody } from '@wintehr/contracts';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { conceptText, formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi, type Include } from './chart-api';
import { COMMON_VACCINES } from './common-codes';
import {
  ConceptField,
  EnteredInErrorDialog,
  IncludeToggle,
  ItemTable,
  fieldErrors,
  useChartWrite,
  type Column,
} from './ChartUi';

type Imm = fhir4.Immunization;
type NotDoneReason = (typeof IMMUNIZATION_NOT_DONE_REASONS)[number];
const REASON_TEXT: Record<NotDoneReason, string> = {
  IMMUNE: 'Immune',
  MEDPREC: 'Medical precaution',
  OSTOCK: 'Out of stock',
  PATOBJ: 'Patient objection',
};

/** Immunizations (CVX): add (given or not given with a reason), edit lot, entered in error. */
export function ImmunizationsTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [include, setInclude] = useState<Include>('current');
  const [editing, setEditing] = useState<Imm | 'new'>();
  const [withdrawing, setWithdrawing] = useState<Imm>();
  const q = useQuery({
    queryKey: ['patient', patientId, 'immunizations', include],
    queryFn: () => chartApi.immunizations(patientId, include),
  });
  const withdraw = useChartWrite(
    patientId,
    ({ i, reason }: { i: Imm; reason: string }) => chartApi.enteredInError(patientId, 'immunizations', i, reason),
    () => setWithdrawing(undefined),
  );
  const columns: Column<Imm>[] = [
    { label: 'Vaccine', cell: (i) => conceptText(i.vaccineCode) },
    {
      label: 'Status',
      cell: (i) => (
        <Chip
          size="small"
          label={i.status === 'not-done' ? `not given: ${conceptText(i.statusReason)}` : i.status}
          color={i.status === 'completed' ? 'success' : 'default'}
          variant={i.status === 'entered-in-error' ? 'outlined' : 'filled'}
        />
      ),
    },
    { label: 'Date', cell: (i) => formatDate(i.occurrenceDateTime) },
    { label: 'Lot', cell: (i) => i.lotNumber ?? '—' },
    ...(writer
      ? [
          {
            label: 'Actions',
            cell: (i: Imm) =>
              i.status === 'entered-in-error' ? null : (
                <Stack direction="row" spacing={0.5}>
                  <Button size="small" onClick={() => setEditing(i)}>
                    Edit
                  </Button>
                  <Button size="small" color="error" onClick={() => setWithdrawing(i)}>
                    Entered in error
                  </Button>
                </Stack>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ mb: 2 }} alignItems="center" flexWrap="wrap" useFlexGap>
        <IncludeToggle value={include} onChange={setInclude} />
        <span style={{ flexGrow: 1 }} />
        {writer && (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
            Add immunization
          </Button>
        )}
      </Stack>
      {q.isLoading && <LoadingState label="Loading immunizations…" />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <ItemTable label="Immunizations" rows={q.data.items} columns={columns} empty="No immunizations recorded." />
      )}
      {editing && (
        <ImmunizationDialog
          patientId={patientId}
          item={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <EnteredInErrorDialog
        what="this immunization"
        open={!!withdrawing}
        onClose={() => setWithdrawing(undefined)}
        onConfirm={(reason) => withdrawing && withdraw.mutate({ i: withdrawing, reason })}
        pending={withdraw.isPending}
        error={withdraw.error}
      />
    </>
  );
}

function ImmunizationDialog({ patientId, item, onClose }: { patientId: string; item?: Imm; onClose: () => void }) {
  const [vaccine, setVaccine] = useState<CodedConcept>();
  const [given, setGiven] = useState(true);
  const [reason, setReason] = useState<NotDoneReason>('PATOBJ');
  const [occurrence, setOccurrence] = useState(
    item?.occurrenceDateTime?.slice(0, 10) ?? new Date().toISOString().slice(0, 10),
  );
  const [lot, setLot] = useState(item?.lotNumber ?? '');
  const save = useChartWrite(
    patientId,
    () => {
      if (item)
        return chartApi.editImmunization(patientId, item, {
          ...(occurrence !== item.occurrenceDateTime?.slice(0, 10) ? { occurrence } : {}),
          ...(lot && lot !== item.lotNumber ? { lotNumber: lot } : {}),
        });
      const b: ImmunizationBody = {
        vaccine: vaccine as ImmunizationBody['vaccine'],
        occurrence,
        ...(given ? { status: 'completed' } : { status: 'not-done', statusReason: reason }),
        ...(lot ? { lotNumber: lot } : {}),
      };
      return chartApi.addImmunization(patientId, b);
    },
    onClose,
  );
  const errs = fieldErrors(save.error);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{item ? `Edit immunization: ${conceptText(item.vaccineCode)}` : 'Add immunization'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {!item && (
            <>
              <ConceptField
                label="Vaccine (CVX)"
                systems={['cvx']}
                options={COMMON_VACCINES}
                value={vaccine}
                onChange={setVaccine}
                error={errs['vaccine.code']}
              />
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
                <TextField
                  select
                  label="Outcome"
                  value={given ? 'given' : 'not-done'}
                  onChange={(e) => setGiven(e.target.value === 'given')}
                  sx={{ minWidth: 180 }}
                >
                  <MenuItem value="given">Given</MenuItem>
                  <MenuItem value="not-done">Not given</MenuItem>
                </TextField>
                {!given && (
                  <TextField
                    select
                    label="Reason not given"
                    value={reason}
                    onChange={(e) => setReason(e.target.value as NotDoneReason)}
                    sx={{ minWidth: 220 }}
                    error={!!errs.statusReason}
                    helperText={errs.statusReason}
                  >
                    {IMMUNIZATION_NOT_DONE_REASONS.map((r) => (
                      <MenuItem key={r} value={r}>
                        {REASON_TEXT[r]}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
              </Stack>
            </>
          )}
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField
              label="Date"
              type="date"
              value={occurrence}
              onChange={(e) => setOccurrence(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
              error={!!errs.occurrence}
              helperText={errs.occurrence}
            />
            <TextField
              label="Lot number"
              value={lot}
              onChange={(e) => setLot(e.target.value)}
              error={!!errs.lotNumber}
              helperText={errs.lotNumber}
            />
          </Stack>
          {!!save.error && <ErrorAlert error={save.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={(!item && !vaccine) || save.isPending}
          onClick={() => save.mutate(undefined)}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
