import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../core/api/api-error';
import { ROLE_LABELS, ROLES, type Role } from '../../core/auth/types';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { adminApi, type NewUser } from './admin-api';

const EMPTY = {
  username: '',
  displayName: '',
  role: 'physician' as Role,
  password: '',
  deaNumber: '',
  fhirPatientId: '',
  pharmacyOrgId: '',
};

/** Create an account; the server's field problems are shown next to the fields they concern. */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form, setForm] = useState(EMPTY);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (u: NewUser) => adminApi.createUser(u),
    onSuccess: (u) => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      setForm(EMPTY);
      onClose();
      navigate(`/admin/users/${u.id}`);
    },
  });
  const problems = create.error instanceof ApiError ? create.error.fieldProblems : [];
  const problemOf = (field: string) => problems.find((p) => p.field === `body.${field}`)?.message;
  const set = (k: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      username: form.username.trim(),
      displayName: form.displayName.trim(),
      role: form.role,
      password: form.password,
      ...(form.deaNumber.trim() ? { deaNumber: form.deaNumber.trim().toUpperCase() } : {}),
      ...(form.role === 'patient' && form.fhirPatientId.trim() ? { fhirPatientId: form.fhirPatientId.trim() } : {}),
      ...(form.role === 'pharmacist' && form.pharmacyOrgId.trim() ? { pharmacyOrgId: form.pharmacyOrgId.trim() } : {}),
    });
  };

  const field = (k: keyof typeof EMPTY, label: string, extra: Partial<React.ComponentProps<typeof TextField>> = {}) => (
    <TextField
      label={label}
      name={k}
      value={form[k]}
      onChange={set(k)}
      error={!!problemOf(k)}
      helperText={problemOf(k) ?? extra.helperText}
      fullWidth
      {...extra}
    />
  );

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="create-user-title" fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="create-user-title">New user</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {field('username', 'Username', { required: true, autoFocus: true, helperText: '3–64 of a-z 0-9 . _ -' })}
            {field('displayName', 'Display name', { required: true })}
            <TextField
              select
              label="Role"
              name="role"
              value={form.role}
              onChange={set('role')}
              fullWidth
              error={!!problemOf('role')}
              helperText={problemOf('role')}
            >
              {ROLES.map((r) => (
                <MenuItem key={r} value={r}>
                  {ROLE_LABELS[r]}
                </MenuItem>
              ))}
            </TextField>
            {field('password', 'Initial password', {
              required: true,
              type: 'password',
              autoComplete: 'new-password',
              helperText: 'At least 12 characters, mixed',
            })}
            {form.role === 'physician' &&
              field('deaNumber', 'DEA number (optional)', {
                helperText: 'Two letters and seven digits, needed for EPCS',
              })}
            {form.role === 'patient' && field('fhirPatientId', 'FHIR Patient id', { required: true })}
            {form.role === 'pharmacist' && field('pharmacyOrgId', 'Pharmacy Organization id (optional)')}
            <ErrorAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
