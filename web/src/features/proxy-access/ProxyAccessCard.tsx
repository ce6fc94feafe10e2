import { Box, Button, Chip, List, ListItem, ListItemText, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PROXY_RELATIONSHIPS, type ProxyGrant, type ProxyRelationship } from '@wintehr/contracts';
import { useState, type FormEvent } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { proxyAccessApi } from './proxy-access-api';

const STATUS: Record<ProxyGrant['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  'aged-out': 'Ended at 18',
  revoked: 'Revoked',
};
const TIER: Record<'full' | 'limited', string> = { full: 'Full access', limited: 'Limited (12–17)' };

/**
 * "Proxy access" on the chart summary: who may act for this patient in the portal (a parent, guardian or caregiver
 * with their own portal account), with the tier the patient's age gives today; grant and revoke.
 */
export function ProxyAccessCard({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const mayGrant = !!user?.permissions.includes('patient:write');
  const qc = useQueryClient();
  const key = ['proxy-access', patientId];
  const grants = useQuery({ queryKey: key, queryFn: () => proxyAccessApi.list(patientId) });
  const [username, setUsername] = useState('');
  const [relationship, setRelationship] = useState<ProxyRelationship>('parent');
  const grant = useMutation({
    mutationFn: () => proxyAccessApi.grant(patientId, { proxyUsername: username.trim(), relationship }),
    onSuccess: () => {
      setUsername('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (grantId: string) => proxyAccessApi.revoke(patientId, grantId),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  if (grants.isLoading) return <LoadingState label="Loading proxy access" />;
  if (grants.error) return <ErrorAlert error={grants.error} />;
  const list = grants.data?.grants ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (username.trim()) grant.mutate();
  };
  return (
    <Stack spacing={1.5} data-testid="proxy-access">
      {list.length === 0 ? (
        <Typography color="text.secondary">Nobody may act for this patient in the portal.</Typography>
      ) : (
        <List dense disablePadding>
          {list.map((g) => (
            <ListItem
              key={g.id}
              disableGutters
              data-testid="proxy-grant"
              secondaryAction={
                mayGrant && g.status === 'active' ? (
                  <Button
                    size="small"
                    color="warning"
                    aria-label={`Revoke proxy access for ${g.proxyName}`}
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(g.id)}
                  >
                    Revoke
                  </Button>
                ) : undefined
              }
            >
              <ListItemText
                primary={
                  <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                    {g.proxyName} ({g.relationship})
                    <Chip size="small" label={g.tier ? TIER[g.tier] : STATUS[g.status]} />
                  </Box>
                }
                secondary={`Granted ${formatDate(g.grantedAt)} by ${g.grantedBy}${
                  g.validUntil ? ` · until ${formatDate(g.validUntil)}` : ''
                }${g.revokedAt ? ` · revoked ${formatDate(g.revokedAt)}` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      <ErrorAlert error={revoke.error} />
      {mayGrant && (
        <Box component="form" onSubmit={submit} noValidate>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField
              size="small"
              label="Proxy's portal username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
            <TextField
              select
              size="small"
              label="Relationship"
              value={relationship}
              onChange={(e) => setRelationship(e.target.value as ProxyRelationship)}
              sx={{ minWidth: 140 }}
            >
              {PROXY_RELATIONSHIPS.map((r) => (
                <MenuItem key={r} value={r}>
                  {r[0]!.toUpperCase() + r.slice(1)}
                </MenuItem>
              ))}
            </TextField>
            <Button type="submit" variant="outlined" disabled={grant.isPending || !username.trim()}>
              Grant proxy access
            </Button>
          </Stack>
          <ErrorAlert error={grant.error} />
        </Box>
      )}
    </Stack>
  );
}
