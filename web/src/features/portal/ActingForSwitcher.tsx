import { Box, MenuItem, Select, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { setActingFor, useActingForId, useProxies } from '../../core/portal/acting-for';

const RELATIONSHIP: Record<string, string> = { parent: 'child', guardian: 'ward', caregiver: 'in your care' };

/**
 * "Acting for: Me / <child>" in the app bar, shown only to someone who holds a proxy grant. Switching drops every
 * cached portal answer, so no page shows one person's data under another's name.
 */
export function ActingForSwitcher() {
  const qc = useQueryClient();
  const id = useActingForId();
  const q = useProxies();
  const subjects = q.data?.subjects ?? [];
  const known = !id || subjects.some((s) => s.patientId === id);

  useEffect(() => {
    // A grant that ended (revoked, expired, turned 18) since the choice was made: back to my own record.
    if (q.data && !known) {
      setActingFor(null);
      void qc.resetQueries({ queryKey: ['portal'] });
    }
  }, [q.data, known, qc]);

  if (subjects.length < 2) return null;
  const me = subjects[0]!.patientId;
  // A visible label in the bar's own colour, not a floating one drawn over the bar (which fails contrast there).
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mr: 1 }}>
      <Typography id="acting-for-label" component="span" variant="body2" color="inherit">
        Acting for
      </Typography>
      <Select
        size="small"
        labelId="acting-for-label"
        value={id && known ? id : me}
        onChange={(e) => {
          setActingFor(e.target.value === me ? null : e.target.value);
          void qc.resetQueries({ queryKey: ['portal'] });
        }}
        sx={{ minWidth: 160, bgcolor: 'background.paper' }}
        data-testid="acting-for"
      >
        {subjects.map((s) => (
          <MenuItem key={s.patientId} value={s.patientId}>
            {s.actingAs === 'self'
              ? 'Me'
              : `${s.name}${s.relationship ? ` (${RELATIONSHIP[s.relationship] ?? s.relationship})` : ''}`}
          </MenuItem>
        ))}
      </Select>
    </Box>
  );
}
