import { Chip, MenuItem, Stack, TextField } from '@mui/material';
import {
  SMOKING_STATUSES,
  SUBSTANCE_USE_STATUSES,
  type SmokingStatus,
  type SocialHistoryBody,
  type SocialHistoryKind,
} from '@wintehr/contracts';
import { useState } from 'react';
import { conceptText, formatDateTime } from '../../core/format';
import { chartApi } from './chart-api';
import { ChartItemDialog, fieldErrors, useChartWrite, type Column } from './ChartUi';
import { ChartListTab } from './ChartListTab';

type Obs = fhir4.Observation;
const KIND_OF_LOINC: Record<string, SocialHistoryKind> = {
  '72166-2': 'smoking',
  '72109-2': 'alcohol',
  '11343-1': 'substance-use',
};
const KIND_TEXT: Record<SocialHistoryKind, string> = {
  smoking: 'Smoking status',
  alcohol: 'Alcohol use',
  'substance-use': 'Substance use',
};
const kindOf = (o: Obs) => KIND_OF_LOINC[o.code.coding?.[0]?.code ?? ''];
const SMOKING_TEXT: Record<SmokingStatus, string> = {
  'current-every-day': 'Current every day smoker',
  'current-some-day': 'Current some day smoker',
  former: 'Former smoker',
  never: 'Never smoker',
  'current-unknown-frequency': 'Smoker, frequency unknown',
  unknown: 'Unknown if ever smoked',
};

function valueText(o: Obs): string {
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  return (o.component ?? [])
    .map((c) =>
      c.valueInteger !== undefined ? `AUDIT-C ${c.valueInteger}` : `${c.valueQuantity?.value ?? '—'} drinks/day`,
    )
    .join(', ');
}

/** Smoking, alcohol and substance use: add, correct, entered in error, with the full history. */
export function SocialHistoryTab({ patientId }: { patientId: string }) {
  const columns: Column<Obs>[] = [
    { label: 'Item', cell: (o) => KIND_TEXT[kindOf(o) ?? 'smoking'] },
    { label: 'Value', cell: (o) => valueText(o) },
    {
      label: 'Status',
      cell: (o) => (
        <Chip size="small" label={o.status} variant={o.status === 'entered-in-error' ? 'outlined' : 'filled'} />
      ),
    },
    { label: 'When', cell: (o) => formatDateTime(o.effectiveDateTime) },
  ];
  return (
    <ChartListTab
      patientId={patientId}
      segment="social-history"
      label="Social history"
      addLabel="Add social history"
      what="this entry"
      fetch={(include) => chartApi.socialHistory(patientId, include)}
      columns={columns}
      withdrawn={(o) => o.status === 'entered-in-error'}
      empty="No social history recorded."
      dialog={(item, onClose) => <SocialDialog patientId={patientId} item={item} onClose={onClose} />}
    />
  );
}

function SocialDialog({ patientId, item, onClose }: { patientId: string; item?: Obs; onClose: () => void }) {
  const [kind, setKind] = useState<SocialHistoryKind>((item && kindOf(item)) ?? 'smoking');
  const [smoking, setSmoking] = useState<SmokingStatus>('never');
  const [substance, setSubstance] = useState<(typeof SUBSTANCE_USE_STATUSES)[number]>('never');
  const [what, setWhat] = useState('');
  const [auditC, setAuditC] = useState('');
  const [drinks, setDrinks] = useState('');
  const body = (): SocialHistoryBody => {
    if (kind === 'smoking') return { kind, status: smoking };
    if (kind === 'substance-use')
      return { kind, status: substance, ...(what.trim() ? { substance: what.trim() } : {}) };
    return {
      kind,
      ...(auditC.trim() ? { auditC: Number(auditC) } : {}),
      ...(drinks.trim() ? { drinksPerDay: Number(drinks) } : {}),
    };
  };
  const save = useChartWrite(
    patientId,
    () => (item ? chartApi.editSocialHistory(patientId, item, body()) : chartApi.addSocialHistory(patientId, body())),
    onClose,
  );
  const errs = fieldErrors(save.error);
  return (
    <ChartItemDialog
      title={item ? 'Correct social history' : 'Add social history'}
      maxWidth="sm"
      onClose={onClose}
      onSave={() => save.mutate(undefined)}
      pending={save.isPending}
      error={save.error}
    >
      <TextField
        select
        label="Item"
        value={kind}
        disabled={!!item}
        onChange={(e) => setKind(e.target.value as SocialHistoryKind)}
      >
        {(Object.keys(KIND_TEXT) as SocialHistoryKind[]).map((k) => (
          <MenuItem key={k} value={k}>
            {KIND_TEXT[k]}
          </MenuItem>
        ))}
      </TextField>
      {kind === 'smoking' && (
        <TextField
          select
          label="Smoking status"
          value={smoking}
          onChange={(e) => setSmoking(e.target.value as SmokingStatus)}
        >
          {(Object.keys(SMOKING_STATUSES) as SmokingStatus[]).map((s) => (
            <MenuItem key={s} value={s}>
              {SMOKING_TEXT[s]}
            </MenuItem>
          ))}
        </TextField>
      )}
      {kind === 'alcohol' && (
        <Stack direction="row" spacing={2}>
          <TextField
            label="AUDIT-C score (0–12)"
            inputMode="numeric"
            value={auditC}
            onChange={(e) => setAuditC(e.target.value)}
            error={!!errs.auditC}
            helperText={errs.auditC}
          />
          <TextField
            label="Drinks per day"
            inputMode="decimal"
            value={drinks}
            onChange={(e) => setDrinks(e.target.value)}
            error={!!errs.drinksPerDay}
            helperText={errs.drinksPerDay}
          />
        </Stack>
      )}
      {kind === 'substance-use' && (
        <Stack direction="row" spacing={2}>
          <TextField
            select
            label="Use"
            value={substance}
            onChange={(e) => setSubstance(e.target.value as typeof substance)}
            sx={{ minWidth: 160 }}
          >
            {SUBSTANCE_USE_STATUSES.map((s) => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </TextField>
          <TextField label="Substance" value={what} onChange={(e) => setWhat(e.target.value)} fullWidth />
        </Stack>
      )}
    </ChartItemDialog>
  );
}
