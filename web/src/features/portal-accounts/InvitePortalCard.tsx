import { Alert, Button, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OtpChannel } from '@wintehr/contracts';
import { useAuth } from '../../core/auth/AuthContext';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { portalAccountsApi } from './portal-accounts-api';

const CHANNEL_LABEL: Record<OtpChannel, string> = { email: 'email', sms: 'text message' };

/**
 * "Invite to portal" on the chart summary: the invitation goes to the email or mobile number in the chart's
 * demographics (masked here); re-inviting replaces the open invitation.
 */
export function InvitePortalCard({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const allowed = !!user?.permissions.includes('portal:invite');
  const qc = useQueryClient();
  const key = ['portal-accounts', patientId];
  const status = useQuery({
    queryKey: key,
    queryFn: () => portalAccountsApi.status(patientId),
    enabled: allowed,
  });
  const invite = useMutation({
    mutationFn: (channel: OtpChannel) => portalAccountsApi.invite(patientId, channel),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  if (!allowed) return <Typography color="text.secondary">Portal invitations are sent by the care team.</Typography>;
  if (status.isLoading) return <LoadingState label="Loading portal account" />;
  if (status.error) return <ErrorAlert error={status.error} />;
  const s = status.data!;
  if (s.hasAccount) return <Alert severity="success">This patient has an active portal account.</Alert>;
  return (
    <Stack spacing={1.5}>
      {s.pendingInvitation ? (
        <Typography>
          Invitation sent by {CHANNEL_LABEL[s.pendingInvitation.channel]} to {s.pendingInvitation.sentTo}; open until{' '}
          {formatDateTime(s.pendingInvitation.expiresAt)}.
        </Typography>
      ) : (
        <Typography>No portal account yet.</Typography>
      )}
      {s.channels.length === 0 && (
        <Alert severity="info">
          Add an email address or a mobile number to the demographics to invite the patient.
        </Alert>
      )}
      {invite.data && (
        <Alert severity="success" role="status">
          Invitation sent to {invite.data.sentTo}.
        </Alert>
      )}
      <ErrorAlert error={invite.error} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        {s.channels.map((c) => (
          <Button
            key={c.channel}
            variant="outlined"
            disabled={invite.isPending}
            onClick={() => invite.mutate(c.channel)}
          >
            {s.pendingInvitation ? 'Re-invite' : 'Invite to portal'} by {CHANNEL_LABEL[c.channel]} ({c.sentTo})
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}
