import {
  Alert,
  Autocomplete,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import {
  DEMO_PAYERS,
  EMPTY_REGISTRATION,
  outcomeText,
  registrationApi,
  registrationBody,
  type RegistrationForm,
} from './registration';

/**
 * Registration with the insurance card: demographics, then payer and member id. The API creates the Coverage and
 * asks the payer at once; a clearinghouse outage never stops the registration (the answer says "not checked").
 */
export function RegisterPatientDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [form, setForm] = useState<RegistrationForm>(EMPTY_REGISTRATION);
  const register = useMutation({ mutationFn: () => registrationApi.register(registrationBody(form)) });
  const set = (k: keyof RegistrationForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const done = register.data;
  const outcome = done ? outcomeText(done.eligibility) : undefined;
  const close = () => {
    setForm(EMPTY_REGISTRATION);
    register.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="register-title">
      <DialogTitle id="register-title">Register a patient</DialogTitle>
      <DialogContent>
        {done ? (
          <>
            <Alert severity="success" sx={{ mb: 1 }}>
              {done.name.text} registered as {done.mrn}.
            </Alert>
            {outcome && (
              <Alert severity={outcome.severity} data-testid="registration-eligibility">
                {outcome.text}
              </Alert>
            )}
          </>
        ) : (
          <Grid container spacing={2} sx={{ mt: 0 }}>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label="Family name" required fullWidth value={form.family} onChange={set('family')} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label="Given names" required fullWidth value={form.given} onChange={set('given')} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField
                label="Birth date"
                type="date"
                required
                fullWidth
                value={form.birthDate}
                onChange={set('birthDate')}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField select label="Sex" fullWidth value={form.gender} onChange={set('gender')}>
                <MenuItem value="female">Female</MenuItem>
                <MenuItem value="male">Male</MenuItem>
                <MenuItem value="other">Other</MenuItem>
                <MenuItem value="unknown">Unknown</MenuItem>
              </TextField>
            </Grid>
            <Grid size={12}>
              <TextField label="Phone" fullWidth value={form.phone} onChange={set('phone')} />
            </Grid>
            <Grid size={12}>
              <Typography variant="subtitle2" component="h3">
                Insurance (optional: checked with the payer at once)
              </Typography>
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <Autocomplete
                freeSolo
                options={DEMO_PAYERS.map((p) => p.id)}
                getOptionLabel={(id) => {
                  const p = DEMO_PAYERS.find((x) => x.id === id);
                  return p ? `${p.id} — ${p.name}` : id;
                }}
                inputValue={form.payerId}
                onInputChange={(_e, v) => setForm((f) => ({ ...f, payerId: v.split(' — ')[0] ?? v }))}
                renderInput={(params) => (
                  <TextField {...params} label="Payer id" helperText="The clearinghouse payer id on the card" />
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label="Member id" fullWidth value={form.memberId} onChange={set('memberId')} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label="Group number" fullWidth value={form.groupNumber} onChange={set('groupNumber')} />
            </Grid>
          </Grid>
        )}
        {register.error && <ErrorAlert error={register.error} title="Not registered" />}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{done ? 'Close' : 'Cancel'}</Button>
        {done ? (
          <Button variant="contained" onClick={() => navigate(`/patients/${done.id}`)}>
            Open chart
          </Button>
        ) : (
          <Button variant="contained" disabled={register.isPending} onClick={() => register.mutate()}>
            {register.isPending ? 'Registering…' : 'Register'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
