import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
  Box,
  Button,
  Chip,
  Snackbar,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { MedicationList } from '@wintehr/contracts';
import { useState } from 'react';
import { api } from '../../core/api/client';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { conceptText } from '../../core/format';
import { ChangeOrderDialog } from './ChangeOrderDialog';
import { DiscontinueDialog } from './DiscontinueDialog';
import { MedicationHistoryPanel } from './MedicationHistoryPanel';
import { PrescribeDialog, type SignedPrescription } from './PrescribeDialog';
import { ReconciliationDialog } from './ReconciliationDialog';

type Acting = { kind: 'renew' | 'modify' | 'discontinue'; order: fhir4.MedicationRequest };
const CHANGEABLE = new Set(['active', 'on-hold']);

const OVERRIDE_EXT = 'http://wintehr.dev/fhir/StructureDefinition/medication-safety-override';
const overridden = (m: fhir4.MedicationRequest) =>
  !!m.extension?.some((e) => e.url.endsWith('/medication-safety-override') || e.url === OVERRIDE_EXT);

function signedMessage(s: SignedPrescription): string {
  const name = s.result.medicationRequest.medicationCodeableConcept?.text ?? 'Prescription';
  return `${name} signed${s.result.override ? ' with a safety override' : ''}${s.sent ? ' and sent to the pharmacy' : ''}.`;
}

/** Active medications or the whole prescription history, and the prescribe dialog. */
export function MedicationsTab({ patientId, encounterId }: { patientId: string; encounterId?: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'active' | 'all'>('active');
  const [prescribing, setPrescribing] = useState(false);
  const [signed, setSigned] = useState<string>();
  const [acting, setActing] = useState<Acting>();
  const [reconciling, setReconciling] = useState(false);
  const mayPrescribe = can(user, 'medication:prescribe');
  const mayDiscontinue = can(user, 'medication:discontinue');
  const done = (message: string) => {
    setActing(undefined);
    setReconciling(false);
    setSigned(message);
    void queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
  };
  const q = useQuery({
    queryKey: ['patient', patientId, 'medications', status],
    queryFn: () => api.get<MedicationList>(`/api/patients/${encodeURIComponent(patientId)}/medications`, { status }),
  });
  return (
    <>
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        sx={{ mb: 2 }}
        flexWrap="wrap"
        useFlexGap
        spacing={1}
      >
        <ToggleButtonGroup
          exclusive
          size="small"
          value={status}
          onChange={(_e, v: 'active' | 'all' | null) => v && setStatus(v)}
          aria-label="Which prescriptions"
        >
          <ToggleButton value="active">Active</ToggleButton>
          <ToggleButton value="all">History</ToggleButton>
        </ToggleButtonGroup>
        <Stack direction="row" spacing={1}>
          {mayPrescribe && (
            <Button variant="outlined" onClick={() => setReconciling(true)}>
              Reconcile
            </Button>
          )}
          {mayPrescribe && (
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setPrescribing(true)}>
              Prescribe
            </Button>
          )}
        </Stack>
      </Stack>
      {acting && acting.kind !== 'discontinue' && (
        <ChangeOrderDialog kind={acting.kind} order={acting.order} onClose={() => setActing(undefined)} onDone={done} />
      )}
      {acting?.kind === 'discontinue' && (
        <DiscontinueDialog order={acting.order} onClose={() => setActing(undefined)} onDone={done} />
      )}
      {reconciling && (
        <ReconciliationDialog patientId={patientId} onClose={() => setReconciling(false)} onSaved={done} />
      )}
      <PrescribeDialog
        open={prescribing}
        patientId={patientId}
        encounterId={encounterId}
        onClose={() => setPrescribing(false)}
        onSigned={(s) => {
          setPrescribing(false);
          setSigned(signedMessage(s));
          void queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
        }}
      />
      <Snackbar
        open={!!signed}
        autoHideDuration={8000}
        onClose={() => setSigned(undefined)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="success" variant="filled" onClose={() => setSigned(undefined)} role="status">
          {signed}
        </Alert>
      </Snackbar>
      {q.isLoading && <LoadingState label="Loading medications…" />}
      {!!q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && !q.data.items.length && (
        <EmptyState>No {status === 'active' ? 'active ' : ''}prescriptions.</EmptyState>
      )}
      {!!q.data?.items.length && (
        <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Medications table">
          <Table size="small" aria-label="Medications">
            <TableHead>
              <TableRow>
                <TableCell>Medication</TableCell>
                <TableCell>Dosage</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Authored</TableCell>
                <TableCell>Refills</TableCell>
                {(mayPrescribe || mayDiscontinue) && <TableCell>Actions</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {q.data.items.map((m) => (
                <TableRow key={m.id}>
                  <TableCell>
                    {conceptText(m.medicationCodeableConcept)}
                    {overridden(m) && (
                      <Chip
                        size="small"
                        variant="outlined"
                        color="warning"
                        label="Safety alert overridden"
                        sx={{ ml: 1 }}
                      />
                    )}
                  </TableCell>
                  <TableCell>{m.dosageInstruction?.[0]?.text ?? '—'}</TableCell>
                  <TableCell>{m.status}</TableCell>
                  <TableCell>{formatDate(m.authoredOn)}</TableCell>
                  <TableCell>{m.dispenseRequest?.numberOfRepeatsAllowed ?? '—'}</TableCell>
                  {(mayPrescribe || mayDiscontinue) && (
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {CHANGEABLE.has(m.status) && (
                        <Stack direction="row" spacing={0.5}>
                          {mayPrescribe && (
                            <Button
                              size="small"
                              onClick={() => setActing({ kind: 'modify', order: m })}
                              aria-label={`Change dose of ${conceptText(m.medicationCodeableConcept)}`}
                            >
                              Change dose
                            </Button>
                          )}
                          {mayPrescribe && (
                            <Button
                              size="small"
                              onClick={() => setActing({ kind: 'renew', order: m })}
                              aria-label={`Renew ${conceptText(m.medicationCodeableConcept)}`}
                            >
                              Renew
                            </Button>
                          )}
                          {mayDiscontinue && (
                            <Button
                              size="small"
                              color="error"
                              onClick={() => setActing({ kind: 'discontinue', order: m })}
                              aria-label={`Discontinue ${conceptText(m.medicationCodeableConcept)}`}
                            >
                              Discontinue
                            </Button>
                          )}
                        </Stack>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      <MedicationHistoryPanel patientId={patientId} />
    </>
  );
}
