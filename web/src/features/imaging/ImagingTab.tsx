import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImagingStudySummary } from '@wintehr/contracts';
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { downloadStudyZip, imagingApi } from './imaging-api';
import { ReportDialog } from './ReportDialog';
import { UploadDialog } from './UploadDialog';

// Cornerstone3D is large: it loads when a study is first opened, not with the chart.
const ImagingViewer = lazy(() => import('./ImagingViewer'));

/** The chart's Imaging tab: studies with their reports, upload, viewer, comparison, reports, export and share links. */
export function ImagingTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['patient', patientId, 'imaging'], queryFn: () => imagingApi.studies(patientId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'imaging'] });
  const [uploading, setUploading] = useState(false);
  const [viewing, setViewing] = useState<ImagingStudySummary[]>();
  const [reporting, setReporting] = useState<ImagingStudySummary>();
  const [selected, setSelected] = useState<string[]>([]);
  const [shareUrl, setShareUrl] = useState<string>();
  // Opened from the reading worklist: the study asked about is marked and brought into view.
  const [params] = useSearchParams();
  const pointed = params.get('study') ?? undefined;
  const pointedRow = useRef<HTMLTableRowElement>(null);
  const sign = useMutation({ mutationFn: (id: string) => imagingApi.signReport(id), onSuccess: refresh });
  const share = useMutation({
    mutationFn: (s: ImagingStudySummary) => imagingApi.share(patientId, s.studyUid),
    onSuccess: (r) =>
      setShareUrl(`${window.location.origin}${r.url} (until ${new Date(r.expiresAt).toLocaleString()})`),
  });
  const exporting = useMutation({ mutationFn: (s: ImagingStudySummary) => downloadStudyZip(patientId, s.studyUid) });

  const studies = q.data?.studies ?? [];
  const pointedLoaded = !!pointed && studies.some((s) => s.id === pointed);
  useEffect(() => {
    if (pointedLoaded) pointedRow.current?.scrollIntoView?.({ block: 'center' });
  }, [pointedLoaded]);
  const toggle = (id: string) =>
    setSelected((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id].slice(-2)));

  return (
    <Paper sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} alignItems="center" sx={{ mb: 2 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Imaging
        </Typography>
        <Button
          variant="outlined"
          disabled={selected.length !== 2}
          onClick={() => setViewing(studies.filter((s) => selected.includes(s.id)))}
        >
          Compare selected
        </Button>
        {can(user, 'imaging:upload') && (
          <Button variant="contained" onClick={() => setUploading(true)}>
            Upload study
          </Button>
        )}
      </Stack>
      {q.isLoading && <LoadingState label="Loading imaging studies" />}
      <ErrorAlert error={q.error ?? sign.error ?? share.error ?? exporting.error} onRetry={() => void q.refetch()} />
      {shareUrl && (
        <Alert severity="info" onClose={() => setShareUrl(undefined)} sx={{ mb: 2, wordBreak: 'break-all' }}>
          Read-only link: {shareUrl}
        </Alert>
      )}
      {q.data && studies.length === 0 && <EmptyState>No imaging studies on file.</EmptyState>}
      {studies.length > 0 && (
        <Table size="small" aria-label="Imaging studies">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">Compare</TableCell>
              <TableCell>Date</TableCell>
              <TableCell>Study</TableCell>
              <TableCell>Modality</TableCell>
              <TableCell>Images</TableCell>
              <TableCell>Report</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {studies.map((s) => (
              <TableRow
                key={s.id}
                data-testid="imaging-study-row"
                ref={s.id === pointed ? pointedRow : undefined}
                selected={s.id === pointed}
                aria-current={s.id === pointed ? 'true' : undefined}
              >
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={selected.includes(s.id)}
                    onChange={() => toggle(s.id)}
                    inputProps={{ 'aria-label': `Select ${s.description ?? 'study'} for comparison` }}
                  />
                </TableCell>
                <TableCell>{s.started?.slice(0, 10) ?? '—'}</TableCell>
                <TableCell>{s.description ?? 'Study'}</TableCell>
                <TableCell>{s.modalities.join(', ')}</TableCell>
                <TableCell>{s.numberOfInstances}</TableCell>
                <TableCell>
                  {s.report ? (
                    <Box>
                      <Chip
                        size="small"
                        label={s.report.status === 'final' ? 'Signed' : 'Preliminary'}
                        color={s.report.status === 'final' ? 'success' : 'warning'}
                      />
                      {s.report.conclusion && (
                        <Typography variant="body2" sx={{ mt: 0.5 }}>
                          {s.report.conclusion}
                        </Typography>
                      )}
                    </Box>
                  ) : (
                    <Typography variant="body2" color="text.secondary">
                      Not reported
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
                    <Button size="small" variant="outlined" onClick={() => setViewing([s])}>
                      View
                    </Button>
                    {can(user, 'imaging:report') && !s.report && (
                      <Button size="small" onClick={() => setReporting(s)}>
                        Write report
                      </Button>
                    )}
                    {can(user, 'imaging:report') && s.report?.status === 'preliminary' && (
                      <Button size="small" onClick={() => sign.mutate(s.report!.id)}>
                        Sign report
                      </Button>
                    )}
                    {can(user, 'imaging:share') && (
                      <>
                        <Button size="small" onClick={() => exporting.mutate(s)}>
                          Export zip
                        </Button>
                        <Button size="small" onClick={() => share.mutate(s)}>
                          Share link
                        </Button>
                      </>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {uploading && <UploadDialog patientId={patientId} onClose={() => setUploading(false)} onUploaded={refresh} />}
      {reporting && (
        <ReportDialog
          patientId={patientId}
          study={reporting}
          onClose={() => setReporting(undefined)}
          onSaved={refresh}
        />
      )}
      {viewing && (
        <Suspense fallback={<LoadingState label="Loading the viewer" />}>
          <ImagingViewer studies={viewing} onClose={() => setViewing(undefined)} />
        </Suspense>
      )}
    </Paper>
  );
}
