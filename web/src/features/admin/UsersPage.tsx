import AddIcon from '@mui/icons-material/Add';
import {
  Button,
  Chip,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Link,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { ROLE_LABELS } from '../../core/auth/types';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { adminApi, epcsStatus } from './admin-api';
import { CreateUserDialog } from './CreateUserDialog';

/** Accounts: who exists, their role, MFA, lock, EPCS state; create a new one. */
export function UsersPage() {
  const users = useQuery({ queryKey: ['admin', 'users'], queryFn: () => adminApi.users() });
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (users.data?.users ?? []).filter(
      (u) => !f || u.username.includes(f) || u.displayName.toLowerCase().includes(f) || u.role.includes(f),
    );
  }, [users.data, filter]);

  return (
    <>
      <PageHeader
        title="Users"
        actions={
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)}>
            New user
          </Button>
        }
      />
      <Paper sx={{ p: 2 }}>
        <TextField
          label="Filter by name, username or role"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          size="small"
          sx={{ mb: 2, minWidth: 300 }}
        />
        {users.isLoading && <LoadingState label="Loading users…" />}
        <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
        {users.data && shown.length === 0 && <EmptyState>No users match.</EmptyState>}
        {shown.length > 0 && (
          <TableContainer tabIndex={0} role="region" aria-label="Users table">
            <Table size="small" aria-label="Users">
              <TableHead>
                <TableRow>
                  <TableCell>Username</TableCell>
                  <TableCell>Name</TableCell>
                  <TableCell>Role</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>MFA</TableCell>
                  <TableCell>EPCS</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map((u) => (
                  <TableRow key={u.id} hover>
                    <TableCell>
                      <Link component={RouterLink} to={`/admin/users/${u.id}`}>
                        {u.username}
                      </Link>
                    </TableCell>
                    <TableCell>{u.displayName}</TableCell>
                    <TableCell>{ROLE_LABELS[u.role]}</TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={0.5}>
                        {u.disabled ? (
                          <Chip size="small" color="error" label="Disabled" />
                        ) : (
                          <Chip size="small" color="success" variant="outlined" label="Active" />
                        )}
                        {u.lockedUntil && <Chip size="small" color="warning" label="Locked" />}
                      </Stack>
                    </TableCell>
                    <TableCell>{u.mfaEnabled ? 'On' : 'Off'}</TableCell>
                    <TableCell>{u.role === 'physician' ? `${epcsStatus(u)} (${u.epcsApprovals}/2)` : '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Paper>
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
