import { Alert, Box, Button, Chip, List, ListItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalMessageBody, PortalRefillBody, PortalRequest } from '@wintehr/contracts';
import { useState, type FormEvent } from 'react';
import { portalApi, useActingFor, useActingForId } from '../../core/portal/acting-for';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { portalKeys, useMyRecord, useMyRequests } from './portal-api';
import { REQUEST_STATUS_LABEL } from './portal-labels';
import { PortalSection } from '../../core/ui/PortalSection';

function ComposeMessage() {
  const qc = useQueryClient();
  const actingFor = useActingForId();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: (body: PortalMessageBody) => portalApi.post<PortalRequest>('/api/portal/messages', body),
    onSuccess: () => {
      setSubject('');
      setText('');
      void qc.invalidateQueries({ queryKey: portalKeys.requests(actingFor) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate({ subject: subject.trim(), text: text.trim() });
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
        {send.error && <ErrorAlert error={send.error} title="Your message was not sent" />}
        {send.isSuccess && <Alert severity="success">Your message was sent to your care team.</Alert>}
        <Box>
          <Button type="submit" variant="contained" disabled={!subject.trim() || !text.trim() || send.isPending}>
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
