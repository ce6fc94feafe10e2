import AttachFileIcon from '@mui/icons-material/AttachFile';
import { Alert, Box, Button, Chip, List, ListItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ACTING_FOR_HEADER,
  MESSAGE_ATTACHMENT_ACCEPT,
  type PortalMessageBody,
  type PortalRefillBody,
  type PortalRequest,
} from '@wintehr/contracts';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { actingForId, portalApi, useActingFor, useActingForId } from '../../core/portal/acting-for';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { portalKeys, useMyRecord, useMyRequests } from './portal-api';
import { REQUEST_STATUS_LABEL } from './portal-labels';
import { PortalSection } from '../../core/ui/PortalSection';
import { chosenFilesProblem, formatBytes } from '../../core/message-attachments/attachment-view';
import { MessageAttachments } from '../../core/message-attachments/MessageAttachments';
import { sendMessageWithFiles } from '../../core/message-attachments/message-files';

/** The acting-for header of the portal's client, for the calls that go around it (files). */
const actingForHeaders = (): Record<string, string> => {
  const id = actingForId();
  return id ? { [ACTING_FOR_HEADER]: id } : {};
};

function ComposeMessage() {
  const qc = useQueryClient();
  const actingFor = useActingForId();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [inputKey, setInputKey] = useState(0);
  const send = useMutation({
    mutationFn: ({ body, files }: { body: PortalMessageBody; files: File[] }) =>
      files.length
        ? sendMessageWithFiles(body, files, actingForHeaders())
        : portalApi.post<PortalRequest>('/api/portal/messages', body),
    onSuccess: () => {
      setSubject('');
      setText('');
      setFiles([]);
      void qc.invalidateQueries({ queryKey: portalKeys.requests(actingFor) });
    },
  });
  const problem = chosenFilesProblem(files);
  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(e.target.files ?? []);
    setFiles((had) => [...had, ...chosen.filter((f) => !had.some((h) => h.name === f.name && h.size === f.size))]);
    // A fresh input each time, so choosing the same file again after removing it is noticed.
    setInputKey((k) => k + 1);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    send.mutate({ body: { subject: subject.trim(), text: text.trim() }, files });
  };
  return (
    <Box component="form" onSubmit={submit} noValidate>
      <Stack spacing={2}>
        <TextField
          label="Subject"
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          required
          fullWidth
          slotProps={{ htmlInput: { maxLength: 120 } }}
        />
        <TextField
          label="Message"
          value={text}
          onChange={(e) => setText(e.target.value)}
          required
          fullWidth
          multiline
          minRows={4}
          slotProps={{ htmlInput: { maxLength: 4000 } }}
          helperText="For an emergency, call 911. Messages are answered within two business days."
        />
        <Box>
          <Button component="label" variant="outlined" startIcon={<AttachFileIcon />}>
            Attach files
            <input
              key={inputKey}
              type="file"
              hidden
              multiple
              accept={MESSAGE_ATTACHMENT_ACCEPT}
              onChange={choose}
              data-testid="message-files"
            />
          </Button>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            Up to 3 files: PDF, JPEG, PNG, HEIC photos or plain text, 5 MB each.
          </Typography>
          {files.length > 0 && (
            <Stack
              direction="row"
              spacing={1}
              sx={{ mt: 1 }}
              flexWrap="wrap"
              useFlexGap
              role="group"
              aria-label="Files to send"
            >
              {files.map((f) => (
                <Chip
                  key={`${f.name}-${f.size}`}
                  label={`${f.name} (${formatBytes(f.size)})`}
                  onDelete={() => setFiles((had) => had.filter((x) => x !== f))}
                  sx={{ maxWidth: '100%' }}
                />
              ))}
            </Stack>
          )}
          {problem && (
            <Alert severity="warning" sx={{ mt: 1 }}>
              {problem}
            </Alert>
          )}
        </Box>
        {send.error && <ErrorAlert error={send.error} title="Your message was not sent" />}
        {send.isSuccess && <Alert severity="success">Your message was sent to your care team.</Alert>}
        <Box>
          <Button
            type="submit"
            variant="contained"
            disabled={!subject.trim() || !text.trim() || !!problem || send.isPending}
          >
            Send message
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}

function RefillRequests() {
  const qc = useQueryClient();
  const actingFor = useActingForId();
  const record = useMyRecord();
  const refill = useMutation({
    mutationFn: (body: PortalRefillBody) => portalApi.post<PortalRequest>('/api/portal/refill-requests', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.requests(actingFor) }),
  });
  if (record.isLoading) return <LoadingState label="Loading your medications…" />;
  if (record.error || !record.data)
    return <ErrorAlert error={record.error} title="Your medications could not be loaded" />;
  const meds = record.data.medications.filter((m) => m.refillable);
  if (!meds.length) return <Typography color="text.secondary">You have no current prescriptions to refill.</Typography>;
  return (
    <>
      {refill.error && <ErrorAlert error={refill.error} title="The refill request was not sent" />}
      {refill.isSuccess && (
        <Alert severity="success" sx={{ mb: 1 }}>
          Refill requested. Your prescriber will answer it; the status is under “Your messages and requests”.
        </Alert>
      )}
      <List disablePadding>
        {meds.map((m) => (
          <ListItem key={m.id} disableGutters sx={{ flexWrap: 'wrap', gap: 1 }}>
            <Box sx={{ flex: '1 1 200px' }}>
              <Typography>{m.name}</Typography>
              {m.instructions && (
                <Typography variant="body2" color="text.secondary">
                  {m.instructions}
                </Typography>
              )}
            </Box>
            <Button
              variant="outlined"
              aria-label={`Request refill: ${m.name}`}
              disabled={refill.isPending}
              onClick={() => refill.mutate({ medicationRequestId: m.id })}
            >
              Request refill
            </Button>
          </ListItem>
        ))}
      </List>
    </>
  );
}

function MyRequests() {
  const q = useMyRequests();
  if (q.isLoading) return <LoadingState label="Loading your messages…" />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} title="Your messages could not be loaded" />;
  if (!q.data.items.length) return <Typography color="text.secondary">You have not sent anything yet.</Typography>;
  return (
    <List disablePadding>
      {q.data.items.map((i) => (
        <ListItem key={i.id} disableGutters divider sx={{ display: 'block' }} data-testid="portal-request">
          <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
            <Typography variant="subtitle1" component="h3">
              {i.type === 'refill-request' ? `Refill: ${i.subject}` : i.subject}
            </Typography>
            <Chip
              size="small"
              label={REQUEST_STATUS_LABEL[i.status]}
              color={i.status === 'denied' ? 'warning' : i.status === 'open' ? 'default' : 'success'}
            />
          </Stack>
          {i.created && (
            <Typography variant="body2" color="text.secondary">
              Sent {formatDateTime(i.created)}
            </Typography>
          )}
          {i.text && <Typography sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{i.text}</Typography>}
          <MessageAttachments attachments={i.attachments} headers={actingForHeaders} />
          {i.answer && (
            <Alert severity={i.status === 'denied' ? 'warning' : 'info'} sx={{ mt: 1 }}>
              {i.answeredAt ? `Answer on ${formatDateTime(i.answeredAt)}: ` : 'Answer: '}
              {i.answer}
            </Alert>
          )}
        </ListItem>
      ))}
    </List>
  );
}

/** Messages to the care team and refill requests, with their answers. */
export function MessagesPage() {
  const { subject, allows } = useActingFor();
  const forOther = subject?.actingAs === 'proxy';
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title={forOther ? `Messages and refills for ${subject.name}` : 'Messages and refills'} />
      <PortalSection title={forOther ? `Write to ${subject.name}'s care team` : 'Write to your care team'}>
        <ComposeMessage />
      </PortalSection>
      {/* A limited proxy does not see the medications a refill is requested for. */}
      {allows('refills') && (
        <PortalSection title="Request a refill">
          <RefillRequests />
        </PortalSection>
      )}
      <PortalSection title="Your messages and requests">
        <MyRequests />
      </PortalSection>
    </Box>
  );
}
