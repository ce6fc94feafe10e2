import { Button, Chip, MenuItem, Stack, TextField } from '@mui/material';
import type { CodedConcept, ProblemBody, ProblemUpdateBody } from '@wintehr/contracts';
import { useState } from 'react';
import { conceptText, formatDate } from '../../core/format';
import { chartApi } from './chart-api';
import { statusCode } from './chart-rules';
import { COMMON_PROBLEMS } from './common-codes';
import { ChartItemDialog, ConceptField, fieldErrors, useChartWrite, type Column } from './ChartUi';
import { ChartListTab } from './ChartListTab';

type Problem = fhir4.Condition;
type Severity = '' | 'mild' | 'moderate' | 'severe';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const withdrawn = (c: Problem) => statusCode(c.verificationStatus) === 'entered-in-error';

/** The problem list: add, edit, resolve, reactivate, entered in error. */
export function ProblemsTab({ patientId }: { patientId: string }) {
  const toggle = useChartWrite(patientId, (c: Problem) =>
    ACTIVE.has(statusCode(c.clinicalStatus) ?? '')
      ? chartApi.resolveProblem(patientId, c)
      : chartApi.reactivateProblem(patientId, c),
  );
  const columns: Column<Problem>[] = [
    { label: 'Problem', cell: (c) => conceptText(c.code) },
    {
      label: 'Status',
      cell: (c) =>
        withdrawn(c) ? (
          <Chip size="small" variant="outlined" label="entered in error" />
        ) : (
          <Chip
            size="small"
            label={statusCode(c.clinicalStatus) ?? '—'}
            color={ACTIVE.has(statusCode(c.clinicalStatus) ?? '') ? 'primary' : 'default'}
          />
        ),
    },
    { label: 'Severity', cell: (c) => c.severity?.coding?.[0]?.display ?? '—' },
    { label: 'Onset', cell: (c) => formatDate(c.onsetDateTime) },
    { label: 'Recorded', cell: (c) => formatDate(c.recordedDate) },
  ];
  return (
    <ChartListTab
      patientId={patientId}
      segment="problems"
      label="Problems"
      addLabel="Add problem"
      what="this problem"
      fetch={(include) => chartApi.problems(patientId, include)}
      columns={columns}
      withdrawn={withdrawn}
      rowActions={(c) => (
        <Button size="small" onClick={() => toggle.mutate(c)} disabled={toggle.isPending}>
          {ACTIVE.has(statusCode(c.clinicalStatus) ?? '') ? 'Resolve' : 'Reactivate'}
        </Button>
      )}
      empty="No problems recorded."
      errors={[toggle.error]}
      dialog={(problem, onClose) => <ProblemDialog patientId={patientId} problem={problem} onClose={onClose} />}
    />
  );
}

function ProblemDialog({ patientId, problem, onClose }: { patientId: string; problem?: Problem; onClose: () => void }) {
  const [code, setCode] = useState<CodedConcept>();
  const [severity, setSeverity] = useState<Severity>('');
  const [onset, setOnset] = useState(problem?.onsetDateTime?.slice(0, 10) ?? '');
  const [note, setNote] = useState('');
  const save = useChartWrite(
    patientId,
    () => {
      const common = {
        ...(severity ? { severity } : {}),
        ...(onset && onset !== problem?.onsetDateTime?.slice(0, 10) ? { onset } : {}),
        ...(note ? { note } : {}),
      };
      if (problem) {
        const b: ProblemUpdateBody = { ...(code ? { code: code as ProblemUpdateBody['code'] } : {}), ...common };
        return chartApi.editProblem(patientId, problem, b);
      }
      const b: ProblemBody = { code: code as ProblemBody['code'], ...common };
      return chartApi.addProblem(patientId, b);
    },
    onClose,
  );
  const errs = fieldErrors(save.error);
  return (
    <ChartItemDialog
      title={problem ? `Edit problem: ${conceptText(problem.code)}` : 'Add problem'}
      onClose={onClose}
      onSave={() => save.mutate(undefined)}
      pending={save.isPending}
      error={save.error}
      canSave={!!problem || !!code}
    >
      <ConceptField
        label={problem ? 'Recode as (optional)' : 'Problem'}
        systems={['snomed', 'icd10']}
        options={COMMON_PROBLEMS}
        value={code}
        onChange={setCode}
        error={errs['code.code'] ?? errs.code}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Severity)}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">{problem ? 'Unchanged' : 'Not stated'}</MenuItem>
          <MenuItem value="mild">Mild</MenuItem>
          <MenuItem value="moderate">Moderate</MenuItem>
          <MenuItem value="severe">Severe</MenuItem>
        </TextField>
        <TextField
          label="Onset"
          type="date"
          value={onset}
          onChange={(e) => setOnset(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          error={!!errs.onset}
          helperText={errs.onset}
        />
      </Stack>
      <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} multiline minRows={2} />
    </ChartItemDialog>
  );
}
