import { Chip, MenuItem, Stack, TextField } from '@mui/material';
import { IMMUNIZATION_NOT_DONE_REASONS, type CodedConcept, type ImmunizationBody } from '@wintehr/contracts';
import { useState } from 'react';
import { conceptText, formatDate } from '../../core/format';
import { chartApi } from './chart-api';
import { COMMON_VACCINES } from './common-codes';
import { ChartItemDialog, ConceptField, fieldErrors, useChartWrite, type Column } from './ChartUi';
import { ChartListTab } from './ChartListTab';

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
  ];
  return (
    <ChartListTab
      patientId={patientId}
      segment="immunizations"
      label="Immunizations"
      addLabel="Add immunization"
      what="this immunization"
      fetch={(include) => chartApi.immunizations(patientId, include)}
      columns={columns}
      withdrawn={(i) => i.status === 'entered-in-error'}
      empty="No immunizations recorded."
      dialog={(item, onClose) => <ImmunizationDialog patientId={patientId} item={item} onClose={onClose} />}
    />
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
    <ChartItemDialog
      title={item ? `Edit immunization: ${conceptText(item.vaccineCode)}` : 'Add immunization'}
      onClose={onClose}
      onSave={() => save.mutate(undefined)}
      pending={save.isPending}
      error={save.error}
      canSave={!!item || !!vaccine}
    >
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
    </ChartItemDialog>
  );
}
