import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { smartApi, smartKeys, type SmartClient } from './smart-api';
import { SmartClientDialog } from './SmartClientDialog';

const AUTH_LABELS: Record<SmartClient['tokenEndpointAuthMethod'], string> = {
  none: 'PKCE (public)',
  client_secret_basic: 'Client secret',
  private_key_jwt: 'Signed JWT',
};

/** The API lets either permission administer SMART clients. */
export function canManageSmartClients(user: Parameters<typeof can>[0]): boolean {
  return can(user, 'system:config') || can(user, 'user:manage');
}

function DeleteDialog({ client, onClose }: { client: SmartClient; onClose: (deleted: boolean) => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => smartApi.remove(client.clientId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: smartKeys.clients });
      void queryClient.invalidateQueries({ queryKey: smartKeys.apps });
      onClose(true);
    },
  });
  return (
    <Dialog open onClose={() => onClose(false)} aria-labelledby="delete-client-title">
      <DialogTitle id="delete-client-title">Delete {client.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The client <code>{client.clientId}</code> can no longer sign users in or get tokens. To pause it instead, edit
          it and turn on “Disabled”.
        </DialogContentText>
        <ErrorAlert error={remove.error} title="Not deleted" />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button color="error" variant="contained" onClick={() => remove.mutate()} disabled={remove.isPending}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Administration of SMART clients: register, edit, disable, rotate a secret, delete. */
export function SmartClientsPage() {
  const { user } = useAuth();
  const allowed = canManageSmartClients(user);
  const clients = useQuery({ queryKey: smartKeys.clients, queryFn: smartApi.clients, enabled: allowed });
  const [editing, setEditing] = useState<SmartClient | 'new'>();
  const [deleting, setDeleting] = useState<SmartClient>();
  const [secret, setSecret] = useState<{ clientId: string; secret: string }>();
  const [notice, setNotice] = useState<string>();

  if (!allowed)
    return (
      <Alert severity="warning" role="alert">
        Your role ({user?.role}) does not allow this page.
      </Alert>
    );
  return (
    <>
      <PageHeader
        title="SMART apps"
        actions={
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
            Register app
          </Button>
        }
      />
      {secret && (
        <Alert severity="warning" sx={{ mb: 2 }} onClose={() => setSecret(undefined)} data-testid="client-secret">
          <AlertTitle>Client secret for {secret.clientId}</AlertTitle>
          Store it now: it is shown only once.{' '}
          <Box component="code" sx={{ display: 'block', mt: 1, wordBreak: 'break-all' }}>
            {secret.secret}
          </Box>
        </Alert>
      )}
      {notice && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      )}
      <Paper sx={{ p: 2 }}>
        {clients.isLoading && <LoadingState label="Loading SMART clients…" />}
        <ErrorAlert error={clients.error} onRetry={() => void clients.refetch()} />
        {clients.data && clients.data.clients.length === 0 && <EmptyState>No SMART clients are registered.</EmptyState>}
        {!!clients.data?.clients.length && (
          <TableContainer tabIndex={0} role="region" aria-label="SMART clients table">
            <Table size="small" aria-label="SMART clients">
              <TableHead>
                <TableRow>
                  <TableCell>Name</TableCell>
                  <TableCell>Client id</TableCell>
                  <TableCell>Type</TableCell>
                  <TableCell>Authentication</TableCell>
                  <TableCell>Launch</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Actions</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {clients.data.clients.map((c) => (
                  <TableRow key={c.clientId} data-testid="smart-client-row">
                    <TableCell>{c.name}</TableCell>
                    <TableCell>
                      <code>{c.clientId}</code>
                    </TableCell>
                    <TableCell>{c.type}</TableCell>
                    <TableCell>{AUTH_LABELS[c.tokenEndpointAuthMethod]}</TableCell>
                    <TableCell>
                      <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
                        {c.launchUrl ?? '—'}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      {c.disabled ? (
                        <Chip size="small" color="error" label="Disabled" />
                      ) : (
                        <Chip size="small" color="success" variant="outlined" label="Active" />
                      )}
                    </TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={1}>
                        <Button size="small" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                          Edit
                        </Button>
                        <Button
                          size="small"
                          color="error"
                          onClick={() => setDeleting(c)}
                          aria-label={`Delete ${c.name}`}
                        >
                          Delete
                        </Button>
                      </Stack>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Paper>
      {editing && (
        <SmartClientDialog
          client={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(c) => {
            setNotice(editing === 'new' ? `${c.name} registered as ${c.clientId}.` : `${c.name} saved.`);
            setEditing(undefined);
            if (c.clientSecret) setSecret({ clientId: c.clientId, secret: c.clientSecret });
          }}
        />
      )}
      {deleting && (
        <DeleteDialog
          client={deleting}
          onClose={(deleted) => {
            if (deleted) setNotice(`${deleting.name} deleted.`);
            setDeleting(undefined);
          }}
        />
      )}
    </>
  );
}
