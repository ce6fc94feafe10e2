import { Alert, Button, Chip, MenuItem, Stack, TextField } from '@mui/material';
import type { AllergyBody, AllergyUpdateBody, CodedConcept } from '@wintehr/contracts';
import { useState } from 'react';
import { conceptText, formatDate } from '../../core/format';
import { chartApi } from './chart-api';
import { ALLERGY_STATE_TEXT, statusCode } from './chart-rules';
import { COMMON_ALLERGENS, COMMON_REACTIONS } from './common-codes';
import { ChartItemDialog, ConceptField, fieldErrors, useChartWrite, type Column } from './ChartUi';
import { ChartListTab } from './ChartListTab';

type Allergy = fhir4.AllergyIntolerance;
type Criticality = 'low' | 'high' | 'unable-to-assess';
type Severity = '' | 'mild' | 'moderate' | 'severe';
type Snomed = CodedConcept & { system: 'snomed' };
const withdrawn = (a: Allergy) => statusCode(a.verificationStatus) === 'entered-in-error';

/** Allergies: "no known allergies" versus not recorded, add / edit / mark inactive / entered in error. */
export function AllergiesTab({ patientId }: { patientId: string }) {
  const nka = useChartWrite(patientId, () => chartApi.noKnownAllergies(patientId));
  const status = useChartWrite(patientId, ({ a, to }: { a: Allergy; to: 'inactive' | 'active' }) =>
    chartApi.editAllergy(patientId, a, { clinicalStatus: to }),
  );

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
        withdrawn(a) ? (
          <Chip size="small" label="entered in error" variant="outlined" />
        ) : (
          (statusCode(a.clinicalStatus) ?? '—')
        ),
    },
    { label: 'Recorded', cell: (a) => formatDate(a.recordedDate) },
  ];

  return (
    <ChartListTab
      patientId={patientId}
      segment="allergies"
      label="Allergies"
      addLabel="Add allergy"
      what="this allergy"
      fetch={(include) => chartApi.allergies(patientId, include)}
      columns={columns}
      withdrawn={withdrawn}
      rowActions={(a) => (
        <Button
          size="small"
          onClick={() => status.mutate({ a, to: statusCode(a.clinicalStatus) === 'active' ? 'inactive' : 'active' })}
        >
          {statusCode(a.clinicalStatus) === 'active' ? 'Mark inactive' : 'Reactivate'}
        </Button>
      )}
      empty={({ state }) => (state === 'no-known-allergies' ? 'No known allergies.' : 'No allergies recorded.')}
      toolbarStart={(data) =>
        data?.state && (
          <Chip
            data-testid="allergy-state"
            label={ALLERGY_STATE_TEXT[data.state]}
            color={
              data.state === 'has-allergies' ? 'error' : data.state === 'no-known-allergies' ? 'success' : 'warning'
            }
            variant={data.state === 'not-recorded' ? 'outlined' : 'filled'}
          />
        )
      }
      writerTools={(data) => (
        <Button
          variant="outlined"
          disabled={data?.state !== 'not-recorded' || nka.isPending}
          onClick={() => nka.mutate(undefined)}
        >
          No known allergies
        </Button>
      )}
      errors={[nka.error, status.error]}
      dialog={(allergy, onClose) => <AllergyDialog patientId={patientId} allergy={allergy} onClose={onClose} />}
    />
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
    <ChartItemDialog
      title={allergy ? `Edit allergy: ${conceptText(allergy.code)}` : 'Add allergy'}
      onClose={onClose}
      onSave={() => save.mutate(undefined)}
      pending={save.isPending}
      error={save.error}
      canSave={!!allergy || !!substance}
    >
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
    </ChartItemDialog>
  );
}
