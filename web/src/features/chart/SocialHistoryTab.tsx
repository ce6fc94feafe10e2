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
import {
  SMOKING_STATUSES,
  SUBSTANCE_USE_STATUSES,
  type SmokingStatus,
  type SocialHistoryBody,
  type SocialHistoryKind,
} from '@wintehr/contracts';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { conceptText, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi, type Include } from './chart-api';
import { EnteredInErrorDialog, IncludeToggle, ItemTable, fieldErrors, useChartWrite, type Column } from './ChartUi';

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
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [include, setInclude] = useState<Include>('current');
  const [editing, setEditing] = useState<Obs | 'new'>();
  const [withdrawing, setWithdrawing] = useState<Obs>();
  const q = useQuery({
    queryKey: ['patient', patientId, 'social-history', include],
    queryFn: () => chartApi.socialHistory(patientId, include),
  });
  const withdraw = useChartWrite(
    patientId,
    ({ o, reason }: { o: Obs; reason: string }) => chartApi.enteredInError(patientId, 'social-history', o, reason),
    () => setWithdrawing(undefined),
  );
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
    ...(writer
      ? [
          {
            label: 'Actions',
            cell: (o: Obs) =>
              o.status === 'entered-in-error' ? null : (
                <Stack direction="row" spacing={0.5}>
                  <Button size="small" onClick={() => setEditing(o)}>
                    Edit
                  </Button>
                  <Button size="small" color="error" onClick={() => setWithdrawing(o)}>
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
            Add social history
          </Button>
        )}
      </Stack>
      {q.isLoading && <LoadingState label="Loading social history…" />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <ItemTable label="Social history" rows={q.data.items} columns={columns} empty="No social history recorded." />
      )}
      {editing && (
        <SocialDialog
          patientId={patientId}
          item={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <EnteredInErrorDialog
        what="this entry"
        open={!!withdrawing}
        onClose={() => setWithdrawing(undefined)}
        onConfirm={(reason) => withdrawing && withdraw.mutate({ o: withdrawing, reason })}
        pending={withdraw.isPending}
        error={withdraw.error}
      />
    </>
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
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{item ? 'Correct social history' : 'Add social history'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
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
          {!!save.error && <ErrorAlert error={save.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={save.isPending} onClick={() => save.mutate(undefined)}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
