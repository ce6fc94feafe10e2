import {
  Alert,
  Button,
  Chip,
  List,
  ListItem,
  ListItemText,
  Paper,
  Stack,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { sessionsApi } from './otp-api';
import { deviceOf } from './device';

/** Where the user is signed in (one entry per device sign-in), with sign-out of one or of all others. */
export function SessionsSection() {
  const qc = useQueryClient();
  const theme = useTheme();
  const narrow = useMediaQuery(theme.breakpoints.down('sm'));
  const sessions = useQuery({ queryKey: ['auth', 'sessions'], queryFn: sessionsApi.list });
  const done = () => qc.invalidateQueries({ queryKey: ['auth', 'sessions'] });
  const revoke = useMutation({ mutationFn: sessionsApi.revoke, onSuccess: done });
  const revokeOthers = useMutation({ mutationFn: sessionsApi.revokeOthers, onSuccess: done });
  const list = sessions.data?.sessions ?? [];
  const others = list.filter((s) => !s.current).length;

  return (
    <Paper component="section" aria-labelledby="sessions-heading" sx={{ p: { xs: 1.5, sm: 3 }, mt: 2 }}>
      <Stack spacing={2}>
        <Typography id="sessions-heading" variant="h6" component="h2">
          Where you are signed in
        </Typography>
        {sessions.isLoading && <LoadingState label="Loading your sessions" />}
        <ErrorAlert error={sessions.error ?? revoke.error ?? revokeOthers.error} />
        {revokeOthers.data && (
          <Alert severity="success" role="status">
            Signed out of {revokeOthers.data.revoked} other {revokeOthers.data.revoked === 1 ? 'session' : 'sessions'}.
          </Alert>
        )}
        <List aria-label="Signed-in sessions" disablePadding>
          {list.map((s) => (
            <ListItem
              key={s.id}
              divider
              disableGutters
              sx={{ flexWrap: narrow ? 'wrap' : 'nowrap', gap: 1 }}
              secondaryAction={undefined}
            >
              <ListItemText
                primary={
                  <>
                    {deviceOf(s.userAgent)} {s.current && <Chip size="small" color="primary" label="This device" />}
                  </>
                }
                secondary={`Signed in ${formatDateTime(s.createdAt)} · last active ${formatDateTime(s.lastUsedAt)}`}
              />
              {!s.current && (
                <Button
                  size="small"
                  variant="outlined"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(s.id)}
                  aria-label={`Sign out ${deviceOf(s.userAgent)} signed in ${formatDateTime(s.createdAt)}`}
                >
                  Sign out
                </Button>
              )}
            </ListItem>
          ))}
        </List>
        <div>
          <Button
            variant="contained"
            color="warning"
            disabled={others === 0 || revokeOthers.isPending}
            onClick={() => revokeOthers.mutate()}
          >
            Sign out everywhere else
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}
