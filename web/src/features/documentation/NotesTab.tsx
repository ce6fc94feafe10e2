import {
  Alert,
  Box,
  Button,
  Chip,
  List,
  ListItem,
  ListItemButton,
  ListItemText,
  MenuItem,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import {
  filledSections,
  missingRequired,
  noteByline,
  NOTE_STATUS_LABEL,
  notesApi,
  type Note,
  type NoteTemplate,
} from './notes-api';

function NoteEditor({
  noteId,
  templates,
  onClose,
}: {
  noteId: string;
  templates: NoteTemplate[];
  onClose: () => void;
}) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const note = useQuery({ queryKey: ['note', noteId], queryFn: () => notesApi.get(noteId) });
  const [sections, setSections] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (note.data?.sections) {
      setSections(note.data.sections);
      setDirty(false);
    }
  }, [note.data]);
  const refresh = (n: Note) => {
    queryClient.setQueryData(['note', noteId], n);
    void queryClient.invalidateQueries({ queryKey: ['patient', n.patientId, 'notes'] });
  };
  const save = useMutation({
    mutationFn: () => notesApi.save(note.data!, filledSections(sections)),
    onSuccess: (n) => {
      refresh(n);
      setDirty(false);
    },
  });
  const sign = useMutation({
    mutationFn: async () => {
      let current = note.data!;
      if (dirty) {
        current = await notesApi.save(current, filledSections(sections));
        refresh(current);
        setDirty(false);
      }
      return notesApi.sign(current.id);
    },
    onSuccess: (n) => {
      void queryClient.invalidateQueries({ queryKey: ['note', noteId] });
      refresh(n);
    },
  });
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const discard = useMutation({
    mutationFn: () => notesApi.remove(noteId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['note', noteId] });
      void queryClient.invalidateQueries({ queryKey: ['patient', note.data?.patientId, 'notes'] });
      onClose();
    },
  });

  if (note.isLoading) return <LoadingState label="Opening the note…" />;
  if (note.error || !note.data) return <ErrorAlert error={note.error} onRetry={() => void note.refetch()} />;
  const t = templates.find((x) => x.id === note.data!.template);
  const draft = note.data.docStatus === 'preliminary';
  // Drafts belong to their author: anyone else sees them read-only (the API refuses their changes anyway).
  const editable = draft && note.data.editable === true;
  const missing = t ? missingRequired(t, sections) : [];
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Note editor">
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        sx={{ mb: 2 }}
        flexWrap="wrap"
        useFlexGap
        spacing={1}
      >
        <Box>
          <Typography variant="h6" component="h3">
            {note.data.title ?? t?.title}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {formatDateTime(note.data.date)}
          </Typography>
          <Typography variant="body2" color="text.secondary" data-testid="note-byline">
            {noteByline(note.data, formatDateTime)}
          </Typography>
        </Box>
        <Chip
          data-testid="note-status"
          label={NOTE_STATUS_LABEL[note.data.docStatus ?? ''] ?? note.data.status}
          color={draft ? 'default' : 'success'}
        />
      </Stack>
      {draft && !editable && (
        <Alert severity="info" sx={{ mb: 2 }}>
          This draft is {note.data.authorName ?? 'another clinician'}’s work in progress: you can read it, only its
          author can change or sign it.
        </Alert>
      )}
      <Stack spacing={2}>
        {(t?.sections ?? []).map((s) =>
          editable ? (
            <TextField
              key={s.key}
              label={s.title}
              required={s.required}
              multiline
              minRows={2}
              value={sections[s.key] ?? ''}
              onChange={(e) => {
                setSections({ ...sections, [s.key]: e.target.value });
                setDirty(true);
              }}
            />
          ) : (
            <Box key={s.key}>
              <Typography variant="subtitle2" component="h4">
                {s.title}
              </Typography>
              <Typography sx={{ whiteSpace: 'pre-wrap' }}>{sections[s.key] || '—'}</Typography>
            </Box>
          ),
        )}
        <ErrorAlert error={save.error ?? sign.error ?? discard.error} />
        {editable && missing.length > 0 && (
          <Typography variant="body2" color="text.secondary">
            Needed before signing: {missing.join(', ')}.
          </Typography>
        )}
        <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
          {editable && (
            <Button variant="outlined" disabled={!dirty || save.isPending} onClick={() => save.mutate()}>
              {save.isPending ? 'Saving…' : 'Save draft'}
            </Button>
          )}
          {editable && can(user, 'document:sign') && (
            <Button variant="contained" disabled={missing.length > 0 || sign.isPending} onClick={() => sign.mutate()}>
              {sign.isPending ? 'Signing…' : 'Sign note'}
            </Button>
          )}
          {editable && !confirmDiscard && (
            <Button color="error" onClick={() => setConfirmDiscard(true)}>
              Discard draft
            </Button>
          )}
          {editable && confirmDiscard && (
            <>
              <Button color="error" variant="contained" disabled={discard.isPending} onClick={() => discard.mutate()}>
                {discard.isPending ? 'Discarding…' : 'Yes, discard this draft'}
              </Button>
              <Button onClick={() => setConfirmDiscard(false)}>Keep it</Button>
            </>
          )}
          <Button onClick={onClose}>Close</Button>
        </Stack>
        {sign.isSuccess && (
          <Alert severity="success" role="status">
            Note signed.
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** The patient's notes: list, a new draft from a template, edit, sign (amendment comes later). */
export function NotesTab({ patientId, encounterId }: { patientId: string; encounterId?: string }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const notes = useQuery({ queryKey: ['patient', patientId, 'notes'], queryFn: () => notesApi.list(patientId) });
  const templates = useQuery({ queryKey: ['note-templates'], queryFn: notesApi.templates, staleTime: Infinity });
  const [template, setTemplate] = useState('progress-soap');
  const [open, setOpen] = useState<string>();
  const create = useMutation({
    mutationFn: () => notesApi.create(patientId, template, encounterId),
    onSuccess: (n) => {
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'notes'] });
      queryClient.setQueryData(['note', n.id], n);
      setOpen(n.id);
    },
  });
  return (
    <Stack spacing={2}>
      {can(user, 'document:write') && templates.data && (
        <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
          <TextField
            select
            size="small"
            label="Template"
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
            sx={{ minWidth: 240 }}
          >
            {templates.data.templates.map((t) => (
              <MenuItem key={t.id} value={t.id}>
                {t.title}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="contained" disabled={create.isPending} onClick={() => create.mutate()}>
            New note
          </Button>
        </Stack>
      )}
      <ErrorAlert error={create.error ?? templates.error} />
      {open && templates.data && (
        <NoteEditor noteId={open} templates={templates.data.templates} onClose={() => setOpen(undefined)} />
      )}
      {notes.isLoading && <LoadingState label="Loading notes…" />}
      {!!notes.error && <ErrorAlert error={notes.error} onRetry={() => void notes.refetch()} />}
      {notes.data && notes.data.notes.length === 0 && <EmptyState>No notes yet.</EmptyState>}
      {!!notes.data?.notes.length && (
        <List aria-label="Notes" dense>
          {notes.data.notes.map((n) => (
            <ListItem key={n.id} disablePadding>
              <ListItemButton selected={n.id === open} onClick={() => setOpen(n.id)}>
                <ListItemText
                  primary={n.title ?? n.template ?? 'Note'}
                  secondary={`${formatDateTime(n.date)} · ${noteByline(n, formatDateTime)}`}
                />
                <Chip
                  size="small"
                  label={NOTE_STATUS_LABEL[n.docStatus ?? ''] ?? n.status}
                  color={n.docStatus === 'preliminary' ? 'default' : 'success'}
                  variant="outlined"
                />
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}
