import AttachFileIcon from '@mui/icons-material/AttachFile';
import { Box, Button, List, ListItem, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import type { MessageAttachment } from '@wintehr/contracts';
import { ErrorAlert } from '../ui/ErrorAlert';
import { formatBytes, typeLabel } from './attachment-view';
import { downloadAttachment } from './message-files';

/** The files of a patient's message, each a download button (shared by the portal thread and the in-basket). */
export function MessageAttachments({
  attachments,
  headers,
}: {
  attachments: readonly MessageAttachment[] | undefined;
  /** Extra request headers, e.g. the portal's acting-for header. */
  headers?: () => Record<string, string>;
}) {
  const download = useMutation({ mutationFn: (a: MessageAttachment) => downloadAttachment(a, headers?.()) });
  if (!attachments?.length) return null;
  return (
    <Box sx={{ mt: 1 }}>
      <Typography variant="body2" color="text.secondary">
        Attachments
      </Typography>
      <List dense disablePadding aria-label="Attachments">
        {attachments.map((a) => (
          <ListItem key={a.index} disableGutters sx={{ flexWrap: 'wrap', gap: 0.5 }} data-testid="message-attachment">
            <Button
              size="small"
              startIcon={<AttachFileIcon />}
              onClick={() => download.mutate(a)}
              disabled={download.isPending}
              sx={{ textTransform: 'none', overflowWrap: 'anywhere', textAlign: 'left' }}
              aria-label={`Download ${a.title} (${typeLabel(a.contentType)}, ${formatBytes(a.size)})`}
            >
              {a.title}
            </Button>
            <Typography variant="body2" color="text.secondary">
              {typeLabel(a.contentType)} · {formatBytes(a.size)}
            </Typography>
          </ListItem>
        ))}
      </List>
      {download.error && <ErrorAlert error={download.error} title="The file could not be downloaded" />}
    </Box>
  );
}
