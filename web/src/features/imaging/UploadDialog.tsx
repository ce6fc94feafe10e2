import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { ImagingFileError } from '@wintehr/contracts';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { fileErrors, uploadStudy } from './imaging-api';

/** Upload DICOM files or a zip into the chart: progress while sending, and each refused file named. */
export function UploadDialog({
  patientId,
  onClose,
  onUploaded,
}: {
  patientId: string;
  onClose: () => void;
  onUploaded: () => void;
}) {
  const [files, setFiles] = useState<File[]>([]);
  const [relabel, setRelabel] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [perFile, setPerFile] = useState<ImagingFileError[]>([]);
  const [done, setDone] = useState<string>();

  const submit = async () => {
    setError(undefined);
    setPerFile([]);
    setProgress(0);
    try {
      const r = await uploadStudy(patientId, files, { relabel, onProgress: setProgress });
      setDone(
        `Stored ${r.study.numberOfInstances} image(s) of “${r.study.description ?? 'study'}”${r.relabelled ? ', re-labelled to this patient' : ''}.`,
      );
      onUploaded();
    } catch (err) {
      setError(err);
      setPerFile(fileErrors(err));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="imaging-upload-title">
      <DialogTitle id="imaging-upload-title">Upload imaging study</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 2 }}>
          DICOM files (.dcm) of one study, or a zip of them. The DICOM Patient ID must be this chart&apos;s MRN.
        </Typography>
        <Button variant="outlined" component="label">
          Choose files
          <input
            hidden
            type="file"
            multiple
            accept=".dcm,.zip,application/dicom,application/zip"
            data-testid="imaging-file-input"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </Button>
        <Typography variant="body2" sx={{ mt: 1 }} role="status">
          {files.length ? `${files.length} file(s) selected` : 'No files selected'}
        </Typography>
        <FormControlLabel
          control={<Checkbox checked={relabel} onChange={(e) => setRelabel(e.target.checked)} />}
          label="Files name another patient ID: re-label them to this patient"
        />
        {progress !== undefined && (
          <LinearProgress
            variant={progress < 1 ? 'determinate' : 'indeterminate'}
            value={progress * 100}
            aria-label="Upload progress"
            sx={{ my: 2 }}
          />
        )}
        {done && <Alert severity="success">{done}</Alert>}
        <ErrorAlert error={error} title="Upload refused" />
        {perFile.length > 0 && (
          <List dense aria-label="Refused files">
            {perFile.map((f) => (
              <ListItem key={f.file}>
                <ListItemText primary={f.file} secondary={f.message} />
              </ListItem>
            ))}
          </List>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{done ? 'Close' : 'Cancel'}</Button>
        <Button variant="contained" disabled={!files.length || progress !== undefined} onClick={() => void submit()}>
          Upload
        </Button>
      </DialogActions>
    </Dialog>
  );
}
