import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import type { ImagingStudySummary } from '@wintehr/contracts';
import { useState } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { imagingApi } from './imaging-api';

/** A radiologist writes the report (preliminary) and may sign it straight away (final). */
export function ReportDialog({
  patientId,
  study,
  onClose,
  onSaved,
}: {
  patientId: string;
  study: ImagingStudySummary;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [findings, setFindings] = useState('');
  const [conclusion, setConclusion] = useState('');
  const save = useMutation({
    mutationFn: async (sign: boolean) => {
      const { report } = await imagingApi.writeReport(patientId, study.studyUid, {
        conclusion,
        ...(findings.trim() ? { findings } : {}),
      });
      if (sign) await imagingApi.signReport(report.id!);
    },
    onSuccess: () => {
      onSaved();
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="imaging-report-title">
      <DialogTitle id="imaging-report-title">Report: {study.description ?? 'study'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            label="Findings"
            multiline
            minRows={4}
            value={findings}
            onChange={(e) => setFindings(e.target.value)}
          />
          <TextField
            label="Impression"
            required
            multiline
            minRows={2}
            value={conclusion}
            onChange={(e) => setConclusion(e.target.value)}
          />
          <ErrorAlert error={save.error} title="The report was not saved" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button disabled={conclusion.trim().length < 3 || save.isPending} onClick={() => save.mutate(false)}>
          Save preliminary
        </Button>
        <Button
          variant="contained"
          disabled={conclusion.trim().length < 3 || save.isPending}
          onClick={() => save.mutate(true)}
        >
          Sign report
        </Button>
      </DialogActions>
    </Dialog>
  );
}
