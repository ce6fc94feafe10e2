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
import type { CodedConcept, ProblemBody, ProblemUpdateBody } from '@wintehr/contracts';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { conceptText, formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi, type Include } from './chart-api';
import { statusCode } from './chart-rules';
import { COMMON_PROBLEMS } from './common-codes';
import {
  ConceptField,
  EnteredInErrorDialog,
  IncludeToggle,
  ItemTable,
  fieldErrors,
  useChartWrite,
  type Column,
} from './ChartUi';

type Problem = fhir4.Condition;
type Severity = '' | 'mild' | 'moderate' | 'severe';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const withdrawn = (c: Problem) => statusCode(c.verificationStatus) === 'entered-in-error';

/** The problem list: add, edit, resolve, reactivate, entered in error. */
export function ProblemsTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [include, setInclude] = useState<Include>('current');
  const [editing, setEditing] = useState<Problem | 'new'>();
  const [withdrawing, setWithdrawing] = useState<Problem>();
  const q = useQuery({
    queryKey: ['patient', patientId, 'problems', include],
    queryFn: () => chartApi.problems(patientId, include),
  });
  const toggle = useChartWrite(patientId, (c: Problem) =>
    ACTIVE.has(statusCode(c.clinicalStatus) ?? '')
      ? chartApi.resolveProblem(patientId, c)
      : chartApi.reactivateProblem(patientId, c),
  );
  const withdraw = useChartWrite(
    patientId,
    ({ c, reason }: { c: Problem; reason: string }) => chartApi.enteredInError(patientId, 'problems', c, reason),
    () => setWithdrawing(undefined),
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
    ...(writer
      ? [
          {
            label: 'Actions',
            cell: (c: Problem) =>
              withdrawn(c) ? null : (
                <Stack direction="row" spacing={0.5}>
                  <Button size="small" onClick={() => setEditing(c)}>
                    Edit
                  </Button>
                  <Button size="small" onClick={() => toggle.mutate(c)} disabled={toggle.isPending}>
                    {ACTIVE.has(statusCode(c.clinicalStatus) ?? '') ? 'Resolve' : 'Reactivate'}
                  </Button>
                  <Button size="small" color="error" onClick={() => setWithdrawing(c)}>
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
            Add problem
          </Button>
        )}
      </Stack>
      {toggle.error && <ErrorAlert error={toggle.error} />}
      {q.isLoading && <LoadingState label="Loading problems…" />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && <ItemTable label="Problems" rows={q.data.items} columns={columns} empty="No problems recorded." />}
      {editing && (
        <ProblemDialog
          patientId={patientId}
          problem={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <EnteredInErrorDialog
        what="this problem"
        open={!!withdrawing}
        onClose={() => setWithdrawing(undefined)}
        onConfirm={(reason) => withdrawing && withdraw.mutate({ c: withdrawing, reason })}
        pending={withdraw.isPending}
        error={withdraw.error}
      />
    </>
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
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{problem ? `Edit problem: ${conceptText(problem.code)}` : 'Add problem'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
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
          {!!save.error && <ErrorAlert error={save.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={(!problem && !code) || save.isPending}
          onClick={() => save.mutate(undefined)}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
