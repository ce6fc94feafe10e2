import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  Link,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { ROLE_LABELS } from '../../core/auth/types';
import { formatDateTime, localInputToIso } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { adminApi, epcsStatus, type AdminUser, type UserChanges } from './admin-api';

/** One account: profile, disable/unlock/reset MFA, EPCS approvals and patient assignments. */
export function UserDetailPage() {
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: ['admin', 'users', id], queryFn: () => adminApi.user(id) });
  return (
    <>
      <Link component={RouterLink} to="/admin/users">
        ← All users
      </Link>
      {user.isLoading && <LoadingState label="Loading the account…" />}
      <ErrorAlert error={user.error} onRetry={() => void user.refetch()} />
      {user.data && <UserDetail u={user.data} />}
    </>
  );
}

function useUserMutation<A>(id: string, fn: (arg: A) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users', id] });
    },
  });
}

function UserDetail({ u }: { u: AdminUser }) {
  const { user: me } = useAuth();
  const update = useUserMutation(u.id, (c: UserChanges) => adminApi.updateUser(u.id, c));
  const [confirm, setConfirm] = useState<{ label: string; text: string; changes: UserChanges }>();
  const [displayName, setDisplayName] = useState(u.displayName);
  const [dea, setDea] = useState(u.deaNumber ?? '');
  const isSelf = me?.id === u.id;

  const saveProfile = (e: FormEvent) => {
    e.preventDefault();
    const changes: UserChanges = {};
    if (displayName.trim() !== u.displayName) changes.displayName = displayName.trim();
    if (u.role === 'physician' && dea.trim().toUpperCase() !== (u.deaNumber ?? ''))
      changes.deaNumber = dea.trim() ? dea.trim().toUpperCase() : null;
    if (Object.keys(changes).length) update.mutate(changes);
  };

  return (
    <>
      <PageHeader title={u.displayName} />
      <Stack direction="row" spacing={1} sx={{ mb: 2 }} flexWrap="wrap" useFlexGap>
        <Chip label={ROLE_LABELS[u.role]} />
        <Chip label={u.disabled ? 'Disabled' : 'Active'} color={u.disabled ? 'error' : 'success'} variant="outlined" />
        {u.lockedUntil && <Chip label={`Locked until ${formatDateTime(u.lockedUntil)}`} color="warning" />}
        <Chip label={`MFA ${u.mfaEnabled ? 'on' : 'off'}`} variant="outlined" />
        {u.isDemo && <Chip label="Demo account" variant="outlined" />}
      </Stack>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Paper sx={{ p: 2 }} component="section" aria-labelledby="profile-h">
            <Typography variant="h6" component="h2" id="profile-h" gutterBottom>
              Profile
            </Typography>
            <Typography variant="body2">
              Username: <strong>{u.username}</strong>
            </Typography>
            {u.fhirPractitionerId && <Typography variant="body2">Practitioner/{u.fhirPractitionerId}</Typography>}
            {u.fhirPatientId && <Typography variant="body2">Patient/{u.fhirPatientId}</Typography>}
            {u.pharmacyOrgId && <Typography variant="body2">Pharmacy Organization/{u.pharmacyOrgId}</Typography>}
            <Typography variant="body2" gutterBottom>
              Created {formatDateTime(u.createdAt)}
            </Typography>
            <Stack component="form" spacing={2} onSubmit={saveProfile} sx={{ mt: 2 }} noValidate>
              <TextField
                label="Display name"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
                size="small"
              />
              {u.role === 'physician' && (
                <TextField
                  label="DEA number"
                  value={dea}
                  onChange={(e) => setDea(e.target.value)}
                  size="small"
                  helperText="Two letters and seven digits; empty removes it"
                />
              )}
              <Box>
                <Button type="submit" variant="outlined" disabled={update.isPending}>
                  Save profile
                </Button>
              </Box>
            </Stack>
          </Paper>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Paper sx={{ p: 2 }} component="section" aria-labelledby="access-h">
            <Typography variant="h6" component="h2" id="access-h" gutterBottom>
              Access
            </Typography>
            <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
              {u.disabled ? (
                <Button variant="outlined" onClick={() => update.mutate({ disabled: false })}>
                  Enable account
                </Button>
              ) : (
                <Button
                  variant="outlined"
                  color="error"
                  disabled={isSelf}
                  onClick={() =>
                    setConfirm({
                      label: 'Disable account',
                      text: `${u.username} will be signed out everywhere and cannot sign in.`,
                      changes: { disabled: true },
                    })
                  }
                >
                  Disable account
                </Button>
              )}
              <Button variant="outlined" disabled={!u.lockedUntil} onClick={() => update.mutate({ unlock: true })}>
                Unlock
              </Button>
              <Button
                variant="outlined"
                disabled={!u.mfaEnabled}
                onClick={() =>
                  setConfirm({
                    label: 'Reset MFA',
                    text: `${u.username}'s authenticator and recovery codes are removed; they enrol again at next sign-in.`,
                    changes: { resetMfa: true },
                  })
                }
              >
                Reset MFA
              </Button>
            </Stack>
            {update.isSuccess && (
              <Alert severity="success" sx={{ mt: 2 }} role="status">
                Saved.
              </Alert>
            )}
            <Box sx={{ mt: 2 }}>
              <ErrorAlert error={update.error} />
            </Box>
          </Paper>
          {u.role === 'physician' && <EpcsPanel u={u} />}
          {u.role !== 'patient' && u.role !== 'admin' && <AssignmentsPanel u={u} />}
        </Grid>
      </Grid>
      <Dialog open={!!confirm} onClose={() => setConfirm(undefined)} aria-labelledby="confirm-title">
        <DialogTitle id="confirm-title">{confirm?.label}?</DialogTitle>
        <DialogContent>
          <DialogContentText>{confirm?.text}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(undefined)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              if (confirm) update.mutate(confirm.changes);
              setConfirm(undefined);
            }}
          >
            {confirm?.label}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function EpcsPanel({ u }: { u: AdminUser }) {
  const approve = useUserMutation(u.id, () => adminApi.approveEpcs(u.id));
  const revoke = useUserMutation(u.id, () => adminApi.revokeEpcs(u.id));
  return (
    <Paper sx={{ p: 2, mt: 2 }} component="section" aria-labelledby="epcs-h">
      <Typography variant="h6" component="h2" id="epcs-h" gutterBottom>
        EPCS (controlled substances)
      </Typography>
      <Typography data-testid="epcs-status">
        {epcsStatus(u)} · approvals {u.epcsApprovals} of 2
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
        Two different administrators must approve, and the prescriber needs a DEA number.
        {u.epcsApprovals === 1 && ' This prescriber needs a second admin.'}
      </Typography>
      <Stack direction="row" spacing={1}>
        <Button
          variant="contained"
          disabled={approve.isPending || u.epcsApprovals >= 2}
          onClick={() => approve.mutate(undefined)}
        >
          Approve EPCS
        </Button>
        <Button
          variant="outlined"
          color="error"
          disabled={revoke.isPending || u.epcsApprovals === 0}
          onClick={() => revoke.mutate(undefined)}
        >
          Withdraw EPCS
        </Button>
      </Stack>
      <Box sx={{ mt: 1 }}>
        <ErrorAlert error={approve.error ?? revoke.error} />
      </Box>
    </Paper>
  );
}

function AssignmentsPanel({ u }: { u: AdminUser }) {
  const [patientId, setPatientId] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [done, setDone] = useState<string>();
  const assign = useMutation({
    mutationFn: () =>
      adminApi.assign(u.id, {
        patientId: patientId.trim(),
        reason: reason.trim(),
        ...(localInputToIso(expires) ? { expiresAt: localInputToIso(expires) } : {}),
      }),
    onSuccess: () => {
      setDone(`Patient/${patientId.trim()} assigned.`);
      setPatientId('');
      setReason('');
      setExpires('');
    },
  });
  const unassign = useMutation({
    mutationFn: () => adminApi.unassign(u.id, patientId.trim()),
    onSuccess: () => {
      setDone(`Assignment of Patient/${patientId.trim()} ended.`);
      setPatientId('');
    },
  });
  return (
    <Paper sx={{ p: 2, mt: 2 }} component="section" aria-labelledby="assign-h">
      <Typography variant="h6" component="h2" id="assign-h" gutterBottom>
        Patient assignments
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        An assignment is a care relationship: it opens the patient's chart to this user.
      </Typography>
      <Stack
        component="form"
        spacing={2}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(undefined);
          assign.mutate();
        }}
      >
        <TextField
          size="small"
          label="FHIR Patient id"
          value={patientId}
          onChange={(e) => setPatientId(e.target.value)}
          required
        />
        <TextField
          size="small"
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          helperText="For example: Ward 3 nursing"
        />
        <TextField
          size="small"
          type="datetime-local"
          label="Ends (optional)"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Stack direction="row" spacing={1}>
          <Button
            type="submit"
            variant="contained"
            disabled={!patientId.trim() || reason.trim().length < 3 || assign.isPending}
          >
            Assign
          </Button>
          <Button
            variant="outlined"
            color="error"
            disabled={!patientId.trim() || unassign.isPending}
            onClick={() => {
              setDone(undefined);
              unassign.mutate();
            }}
          >
            End assignment
          </Button>
        </Stack>
        {done && (
          <Alert severity="success" role="status">
            {done}
          </Alert>
        )}
        <ErrorAlert error={assign.error ?? unassign.error} />
      </Stack>
    </Paper>
  );
}
