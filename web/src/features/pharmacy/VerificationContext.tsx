import { Alert, AlertTitle, Box, Chip, Grid, Paper, Stack, Typography } from '@mui/material';
import type { QueueItemDetail } from '@wintehr/contracts';
import { formatDateTime } from '../../core/format';
import { structuredSig } from './verification-context';

/**
 * Beside the findings on verification: the prescriber's override reasons, the full sig (as written and as
 * structured) and the patient's allergies with their reactions.
 */
export function VerificationContext({ item }: { item: QueueItemDetail }) {
  const structured = structuredSig(item.sigDetail);
  const allergies = item.allergies ?? [];
  return (
    <Grid container spacing={2} sx={{ mb: 2 }}>
      <Grid size={{ xs: 12, md: 6 }}>
        <Paper sx={{ p: 2, height: '100%' }} component="section" aria-labelledby="sig-title">
          <Typography id="sig-title" variant="h6" component="h2">
            Sig
          </Typography>
          <Typography data-testid="sig-text">{item.sigDetail?.text ?? item.drug.sig ?? '—'}</Typography>
          {structured && (
            <Typography variant="body2" color="text.secondary" data-testid="sig-structured">
              {structured}
            </Typography>
          )}
          {item.sigDetail?.patientInstruction && (
            <Typography variant="body2">Patient instruction: {item.sigDetail.patientInstruction}</Typography>
          )}
          {!!item.prescriberOverrides?.length && (
            <Alert severity="warning" sx={{ mt: 2 }} data-testid="prescriber-overrides">
              <AlertTitle>Prescriber overrode safety alerts</AlertTitle>
              {item.prescriberOverrides.map((o, i) => (
                <Typography key={i} variant="body2">
                  “{o.reason}”{o.at ? ` · ${formatDateTime(o.at)}` : ''}
                </Typography>
              ))}
            </Alert>
          )}
        </Paper>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <Paper sx={{ p: 2, height: '100%' }} component="section" aria-labelledby="allergies-title">
          <Typography id="allergies-title" variant="h6" component="h2">
            Allergies
          </Typography>
          {!allergies.length && <Typography color="text.secondary">No allergies recorded.</Typography>}
          <Stack component="ul" spacing={1} sx={{ p: 0, m: 0, listStyle: 'none' }} data-testid="allergies">
            {allergies.map((a) => (
              <Box component="li" key={a.id}>
                <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                  <Typography fontWeight={600}>{a.substance}</Typography>
                  {a.criticality === 'high' && <Chip size="small" color="error" label="High criticality" />}
                  {a.clinicalStatus && a.clinicalStatus !== 'active' && (
                    <Chip size="small" variant="outlined" label={a.clinicalStatus} />
                  )}
                  {a.verificationStatus === 'unconfirmed' && (
                    <Chip size="small" variant="outlined" label="unconfirmed" />
                  )}
                </Stack>
                {a.reactions.map((r, i) => (
                  <Typography key={i} variant="body2" color="text.secondary">
                    {r.manifestations.join(', ') || 'Reaction not described'}
                    {r.severity ? ` (${r.severity})` : ''}
                  </Typography>
                ))}
              </Box>
            ))}
          </Stack>
        </Paper>
      </Grid>
    </Grid>
  );
}
