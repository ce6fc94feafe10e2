import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
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
import type { AllergyBody, AllergyUpdateBody, CodedConcept } from '@wintehr/contracts';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { conceptText, formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi, type Include } from './chart-api';
import { ALLERGY_STATE_TEXT, statusCode } from './chart-rules';
import { COMMON_ALLERGENS, COMMON_REACTIONS } from './common-codes';
import {
  ConceptField,
  EnteredInErrorDialog,
  IncludeToggle,
  ItemTable,
  fieldErrors,
  useChartWrite,
  type Column,
} from './ChartUi';

type Allergy = fhir4.AllergyIntolerance;
type Criticality = 'low' | 'high' | 'unable-to-assess';
type Severity = '' | 'mild' | 'moderate' | 'severe';
type Snomed = CodedConcept & { system: 'snomed' };

/** Allergies: "no known allergies" versus not recorded, add / edit / mark inactive / entered in error. */
export function AllergiesTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [include, setInclude] = useState<Include>('current');
  const [editing, setEditing] = useState<Allergy | 'new'>();
  const [withdrawing, setWithdrawing] = useState<Allergy>();
  const q = useQuery({
    queryKey: ['patient', patientId, 'allergies', include],
    queryFn: () => chartApi.allergies(patientId, include),
  });
  const nka = useChartWrite(patientId, () => chartApi.noKnownAllergies(patientId));
  const status = useChartWrite(patientId, ({ a, to }: { a: Allergy; to: 'inactive' | 'active' }) =>
    chartApi.editAllergy(patientId, a, { clinicalStatus: to }),
  );
  const withdraw = useChartWrite(
    patientId,
    ({ a, reason }: { a: Allergy; reason: string }) => chartApi.enteredInError(patientId, 'allergies', a, reason),
    () => setWithdrawing(undefined),
  );
  const state = q.data?.state;

  const columns: Column<Allergy>[] = [
    { label: 'Substance', cell: (a) => conceptText(a.code) },
    {
      label: 'Criticality',
      cell: (a) =>
        a.criticality ? (
          <Chip size="small" label={a.criticality} color={a.criticality === 'high' ? 'error' : 'default'} />
        ) : (
          '—'
        ),
    },
    {
      label: 'Reaction',
      cell: (a) =>
        a.reaction
          ?.map((r) => `${r.manifestation.map(conceptText).join(', ')}${r.severity ? ` (${r.severity})` : ''}`)
          .join('; ') || '—',
    },
    {
      label: 'Status',
      cell: (a) =>
        statusCode(a.verificationStatus) === 'entered-in-error' ? (
          <Chip size="small" label="entered in error" variant="outlined" />
        ) : (
          (statusCode(a.clinicalStatus) ?? '—')
        ),
    },
    { label: 'Recorded', cell: (a) => formatDate(a.recordedDate) },
    ...(writer
      ? [
          {
            label: 'Actions',
            cell: (a: Allergy) =>
              statusCode(a.verificationStatus) === 'entered-in-error' ? null : (
                <Stack direction="row" spacing={0.5}>
                  <Button size="small" onClick={() => setEditing(a)}>
                    Edit
                  </Button>
                  <Button
                    size="small"
                    onClick={() =>
                      status.mutate({ a, to: statusCode(a.clinicalStatus) === 'active' ? 'inactive' : 'active' })
                    }
                  >
                    {statusCode(a.clinicalStatus) === 'active' ? 'Mark inactive' : 'Reactivate'}
                  </Button>
                  <Button size="small" color="error" onClick={() => setWithdrawing(a)}>
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
        {state && (
          <Chip
            data-testid="allergy-state"
            label={ALLERGY_STATE_TEXT[state]}
            color={state === 'has-allergies' ? 'error' : state === 'no-known-allergies' ? 'success' : 'warning'}
            variant={state === 'not-recorded' ? 'outlined' : 'filled'}
          />
        )}
        <IncludeToggle value={include} onChange={setInclude} />
        <span style={{ flexGrow: 1 }} />
        {writer && (
          <>
            <Button
              variant="outlined"
              disabled={state !== 'not-recorded' || nka.isPending}
              onClick={() => nka.mutate(undefined)}
            >
              No known allergies
            </Button>
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
              Add allergy
            </Button>
          </>
        )}
      </Stack>
      {[nka.error, status.error].map((e, i) => (e ? <ErrorAlert key={i} error={e} /> : null))}
      {q.isLoading && <LoadingState label="Loading allergies…" />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <ItemTable
          label="Allergies"
          rows={q.data.items}
          columns={columns}
          empty={state === 'no-known-allergies' ? 'No known allergies.' : 'No allergies recorded.'}
        />
      )}
      {editing && (
        <AllergyDialog
          patientId={patientId}
          allergy={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <EnteredInErrorDialog
        what="this allergy"
        open={!!withdrawing}
        onClose={() => setWithdrawing(undefined)}
        onConfirm={(reason) => withdrawing && withdraw.mutate({ a: withdrawing, reason })}
        pending={withdraw.isPending}
        error={withdraw.error}
      />
    </>
  );
}

function AllergyDialog({ patientId, allergy, onClose }: { patientId: string; allergy?: Allergy; onClose: () => void }) {
  const [substance, setSubstance] = useState<CodedConcept>();
  const [criticality, setCriticality] = useState<Criticality>(allergy?.criticality ?? 'low');
  const [category, setCategory] = useState<'medication' | 'food' | 'environment'>('medication');
  const [reaction, setReaction] = useState<CodedConcept>();
  const [severity, setSeverity] = useState<Severity>('');
  const [note, setNote] = useState('');
  const save = useChartWrite(
    patientId,
    () => {
      const reactions = reaction
        ? [{ manifestation: reaction as Snomed, ...(severity ? { severity } : {}) }]
        : undefined;
      if (allergy) {
        const b: AllergyUpdateBody = { criticality, ...(reactions ? { reactions } : {}), ...(note ? { note } : {}) };
        return chartApi.editAllergy(patientId, allergy, b);
      }
      const b: AllergyBody = {
        substance: substance as AllergyBody['substance'],
        criticality,
        category: [category],
        ...(reactions ? { reactions } : {}),
        ...(note ? { note } : {}),
      };
      return chartApi.addAllergy(patientId, b);
    },
    onClose,
  );
  const errs = fieldErrors(save.error);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{allergy ? `Edit allergy: ${conceptText(allergy.code)}` : 'Add allergy'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {!allergy && (
            <ConceptField
              label="Substance"
              systems={['rxnorm', 'snomed']}
              options={COMMON_ALLERGENS}
              value={substance}
              onChange={setSubstance}
              error={errs['substance.code'] ?? errs.substance}
            />
          )}
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField
              select
              label="Criticality"
              value={criticality}
              onChange={(e) => setCriticality(e.target.value as Criticality)}
              sx={{ minWidth: 180 }}
            >
              <MenuItem value="low">Low</MenuItem>
              <MenuItem value="high">High</MenuItem>
              <MenuItem value="unable-to-assess">Unable to assess</MenuItem>
            </TextField>
            {!allergy && (
              <TextField
                select
                label="Category"
                value={category}
                onChange={(e) => setCategory(e.target.value as typeof category)}
                sx={{ minWidth: 180 }}
              >
                <MenuItem value="medication">Medication</MenuItem>
                <MenuItem value="food">Food</MenuItem>
                <MenuItem value="environment">Environment</MenuItem>
              </TextField>
            )}
          </Stack>
          <ConceptField
            label="Reaction"
            systems={['snomed']}
            options={COMMON_REACTIONS}
            value={reaction}
            onChange={setReaction}
            error={errs['reactions.0.manifestation.code']}
          />
          <TextField
            select
            label="Reaction severity"
            value={severity}
            onChange={(e) => setSeverity(e.target.value as Severity)}
            sx={{ maxWidth: 240 }}
          >
            <MenuItem value="">Not stated</MenuItem>
            <MenuItem value="mild">Mild</MenuItem>
            <MenuItem value="moderate">Moderate</MenuItem>
            <MenuItem value="severe">Severe</MenuItem>
          </TextField>
          <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} multiline minRows={2} />
          {!allergy && (
            <Alert severity="info">Recording an allergy replaces a &ldquo;no known allergies&rdquo; entry.</Alert>
          )}
          {!!save.error && <ErrorAlert error={save.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={(!allergy && !substance) || save.isPending}
          onClick={() => save.mutate(undefined)}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
