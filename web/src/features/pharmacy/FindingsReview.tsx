import {
  Alert,
  Box,
  Button,
  Chip,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Paper,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../core/api/api-error';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState } from '../../core/ui/states';
import { pharmacyApi } from './pharmacy-api';
import type { DecisionAction, DrugSafetyFinding as Finding, QueueItemDetail, VerifyResult } from '@wintehr/contracts';
import { SEVERITY_LABELS, severityColor } from './queue-filters';
import { overrideFor } from './verification-context';
import {
  DECISION_LABELS,
  decisionProblems,
  decisionsToSend,
  initialDrafts,
  needsDecision,
  type DecisionDrafts,
} from './verify-form';

const KIND_LABELS: Record<Finding['kind'], string> = {
  'drug-drug': 'Drug interaction',
  'drug-allergy': 'Drug–allergy',
  'duplicate-therapy': 'Duplicate therapy',
  'drug-condition': 'Drug–condition',
  'controlled-substance': 'Controlled substance',
  'unable-to-screen': 'Not screened',
};

function FindingCard({
  f,
  index,
  draft,
  problem,
  canDecide,
  recorded,
  prescriberOverride,
  onChange,
}: {
  f: Finding;
  prescriberOverride?: string;
  index: number;
  draft: DecisionDrafts[string] | undefined;
  problem?: string;
  canDecide: boolean;
  recorded?: QueueItemDetail['decisions'][number];
  onChange: (d: DecisionDrafts[string]) => void;
}) {
  const titleId = `finding-${index}-title`;
  const decide = needsDecision(f);
  return (
    <Paper
      variant="outlined"
      component="li"
      sx={{ p: 2, listStyle: 'none' }}
      aria-labelledby={titleId}
      data-testid="finding"
    >
      <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1 }} flexWrap="wrap" useFlexGap>
        <Chip size="small" color={severityColor(f.severity)} label={SEVERITY_LABELS[f.severity]} />
        <Typography id={titleId} variant="subtitle1" component="h3">
          {KIND_LABELS[f.kind]}
          {f.drugs.length ? `: ${f.drugs.map((d) => d.display).join(' + ')}` : ''}
        </Typography>
      </Stack>
      <Typography>{f.description}</Typography>
      {f.allergy && <Typography variant="body2">Allergy: {f.allergy.display}</Typography>}
      {f.management && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          <strong>Management:</strong> {f.management}
        </Typography>
      )}
      {prescriberOverride && (
        <Alert severity="warning" sx={{ mt: 1 }} data-testid="finding-override">
          Prescriber override: “{prescriberOverride}”
        </Alert>
      )}
      {f.source && (
        <Typography variant="caption" color="text.secondary">
          Source: {f.source}
        </Typography>
      )}
      {recorded && (
        <Typography variant="body2" sx={{ mt: 1 }} data-testid="recorded-decision">
          Recorded: {DECISION_LABELS[recorded.action]}
          {recorded.reason ? ` (“${recorded.reason}”)` : ''} · {formatDateTime(recorded.at)}
        </Typography>
      )}
      {decide && canDecide && (
        <FormControl component="fieldset" error={!!problem} sx={{ mt: 1.5, display: 'block' }}>
          <FormLabel component="legend">
            Decision on finding {index + 1} ({KIND_LABELS[f.kind].toLowerCase()})
          </FormLabel>
          <RadioGroup
            row
            value={draft?.action ?? ''}
            onChange={(e) => onChange({ reason: draft?.reason ?? '', action: e.target.value as DecisionAction })}
          >
            {(Object.keys(DECISION_LABELS) as DecisionAction[]).map((a) => (
              <FormControlLabel key={a} value={a} control={<Radio />} label={DECISION_LABELS[a]} />
            ))}
          </RadioGroup>
          {draft?.action && draft.action !== 'accept' && (
            <TextField
              label={`Reason for finding ${index + 1}`}
              value={draft.reason}
              size="small"
              fullWidth
              required
              sx={{ mt: 1 }}
              onChange={(e) => onChange({ ...draft, reason: e.target.value })}
            />
          )}
          {problem && <FormHelperText>{problem}</FormHelperText>}
        </FormControl>
      )}
      {!decide && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
          For information; no decision needed.
        </Typography>
      )}
    </Paper>
  );
}

/**
 * The drug-safety findings of a fresh screen and the pharmacist's decision on each (accept, override with a
 * reason, or contact the prescriber). Verify sends them; the API re-screens and refuses decisions on a stale
 * screen (409), after which the item is reloaded so the current findings show.
 */
export function FindingsReview({
  item,
  canDecide,
  onVerified,
  onStale,
}: {
  item: QueueItemDetail;
  canDecide: boolean;
  onVerified: (r: VerifyResult) => void;
  onStale: () => void;
}) {
  const findings = item.findings ?? [];
  const screenKey = findings.map((f) => f.id).join('|');
  const [drafts, setDrafts] = useState<{ key: string; value: DecisionDrafts }>(() => ({
    key: screenKey,
    value: initialDrafts(findings, item.decisions),
  }));
  // A new screen (the chart changed) starts from the recorded decisions again.
  const current = drafts.key === screenKey ? drafts.value : initialDrafts(findings, item.decisions);
  const [showProblems, setShowProblems] = useState(false);
  const problems = decisionProblems(findings, current);
  const verify = useMutation({
    mutationFn: () => pharmacyApi.verify(item.medicationRequestId, decisionsToSend(findings, current)),
    onSuccess: (r) => {
      setShowProblems(false);
      onVerified(r);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) onStale();
    },
  });
  const submit = () => {
    setShowProblems(true);
    if (Object.keys(problems).length === 0) verify.mutate();
  };

  return (
    <Box component="section" aria-labelledby="findings-title">
      <Typography id="findings-title" variant="h6" component="h2" gutterBottom>
        Drug-safety findings
      </Typography>
      {item.findingsError && (
        <Alert severity="warning" sx={{ mb: 1 }}>
          {item.findingsError}
        </Alert>
      )}
      {findings.length === 0 && !item.findingsError && (
        <EmptyState>No interactions, allergies or duplicates found against the current chart.</EmptyState>
      )}
      {findings.length > 0 && (
        <Stack component="ol" spacing={1.5} sx={{ p: 0, m: 0 }} aria-label="Safety findings">
          {findings.map((f, i) => (
            <FindingCard
              key={f.id}
              f={f}
              index={i}
              draft={current[f.id]}
              canDecide={canDecide}
              problem={showProblems ? problems[f.id] : undefined}
              recorded={item.decisions.find((d) => d.findingId === f.id)}
              prescriberOverride={overrideFor(f, item.prescriberOverrides)?.reason}
              onChange={(d) => setDrafts({ key: screenKey, value: { ...current, [f.id]: d } })}
            />
          ))}
        </Stack>
      )}
      <Box sx={{ mt: 2 }}>
        <ErrorAlert error={verify.error} title="Not verified" />
        <Stack direction="row" spacing={2} alignItems="center" sx={{ mt: 1 }}>
          <Button variant="contained" onClick={submit} disabled={!canDecide || verify.isPending}>
            {verify.isPending ? 'Verifying…' : item.verifiedAt ? 'Verify again' : 'Verify'}
          </Button>
          {!canDecide && (
            <Typography variant="body2" color="text.secondary">
              Claim the prescription to record decisions and verify it.
            </Typography>
          )}
          {showProblems && Object.keys(problems).length > 0 && (
            <Typography variant="body2" color="error" role="alert">
              {Object.keys(problems).length} finding(s) still need a decision or a reason.
            </Typography>
          )}
        </Stack>
      </Box>
    </Box>
  );
}
