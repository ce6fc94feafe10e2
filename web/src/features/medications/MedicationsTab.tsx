import { Box, Table, TableBody, TableCell, TableHead, TableRow, ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../core/api/client';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { conceptText } from '../patient/patient-api';

/** Active medications or the whole prescription history (prescribing comes with the prescribe dialog). */
export function MedicationsTab({ patientId }: { patientId: string }) {
  const [status, setStatus] = useState<'active' | 'all'>('active');
  const q = useQuery({
    queryKey: ['patient', patientId, 'medications', status],
    queryFn: () => api.get<{ total: number; items: fhir4.MedicationRequest[] }>(`/api/patients/${encodeURIComponent(patientId)}/medications`, { status }),
  });
  return (
    <>
      <ToggleButtonGroup exclusive size="small" value={status} onChange={(_e, v: 'active' | 'all' | null) => v && setStatus(v)} aria-label="Which prescriptions" sx={{ mb: 2 }}>
        <ToggleButton value="active">Active</ToggleButton>
        <ToggleButton value="all">History</ToggleButton>
      </ToggleButtonGroup>
      {q.isLoading && <LoadingState label="Loading medications…" />}
      {!!q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && !q.data.items.length && <EmptyState>No {status === 'active' ? 'active ' : ''}prescriptions.</EmptyState>}
      {!!q.data?.items.length && (
        <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Medications table">
          <Table size="small" aria-label="Medications">
            <TableHead><TableRow><TableCell>Medication</TableCell><TableCell>Dosage</TableCell><TableCell>Status</TableCell><TableCell>Authored</TableCell><TableCell>Refills</TableCell></TableRow></TableHead>
            <TableBody>
              {q.data.items.map((m) => (
                <TableRow key={m.id}>
                  <TableCell>{conceptText(m.medicationCodeableConcept)}</TableCell>
                  <TableCell>{m.dosageInstruction?.[0]?.text ?? '—'}</TableCell>
                  <TableCell>{m.status}</TableCell>
                  <TableCell>{formatDate(m.authoredOn)}</TableCell>
                  <TableCell>{m.dispenseRequest?.numberOfRepeatsAllowed ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </>
  );
}
