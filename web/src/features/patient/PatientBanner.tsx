import MedicalServicesOutlinedIcon from '@mui/icons-material/MedicalServicesOutlined';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Box, Chip, Paper, Stack, Typography } from '@mui/material';
import type { EncounterSummary } from '@wintehr/contracts';
import { formatDate, formatDateTime } from '../../core/format';
import { conceptText } from '../../core/format';
import type { PatientSummary } from './patient-api';
import { EligibilityCheck } from './EligibilityCheck';

/** Who this chart is about, and what must never be missed: allergies and alerts; the visit in progress, if any. */
export function PatientBanner({
  summary,
  openEncounter,
}: {
  summary: PatientSummary;
  openEncounter?: EncounterSummary;
}) {
  const p = summary.patient;
  const allergies = summary.allergies;
  const highRisk = allergies.filter((a) => a.criticality === 'high');
  return (
    <Paper
      component="section"
      aria-label="Patient banner"
      sx={{ p: 2, mb: 2, borderLeft: 6, borderColor: 'primary.main' }}
    >
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} justifyContent="space-between">
        <Box>
          <Typography variant="h5" component="h1" data-testid="patient-name">
            {p.name.text}
          </Typography>
          <Typography>
            {p.age !== undefined ? `${p.age} y` : 'age unknown'} · {p.gender ?? 'sex unknown'} · born{' '}
            {formatDate(p.birthDate)} · MRN <strong>{p.mrn ?? '—'}</strong>
            {!p.active && ' · INACTIVE'}
          </Typography>
          <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap sx={{ mt: 1 }}>
            <EligibilityCheck patientId={p.id} />
            {openEncounter && (
              <Chip
                color="success"
                icon={<MedicalServicesOutlinedIcon />}
                data-testid="visit-in-progress"
                data-encounter-id={openEncounter.id}
                label={`Visit in progress since ${formatDateTime(openEncounter.start)}`}
              />
            )}
          </Stack>
        </Box>
        <Box>
          <Typography variant="subtitle2" component="h2">
            Allergies
          </Typography>
          {summary.allergyState === 'no-known-allergies' ? (
            <Typography variant="body2" data-testid="banner-allergy-state">
              No known allergies
            </Typography>
          ) : allergies.length === 0 ? (
            // Nobody has asked yet: not the same as "none", and a prescriber must not read it as such.
            <Chip
              size="small"
              color="warning"
              variant="outlined"
              label="Not recorded"
              data-testid="banner-allergy-state"
            />
          ) : (
            <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
              {allergies.map((a) => (
                <Chip
                  key={a.id}
                  size="small"
                  color={a.criticality === 'high' ? 'error' : 'default'}
                  icon={a.criticality === 'high' ? <WarningAmberIcon /> : undefined}
                  label={conceptText(a.code)}
                />
              ))}
            </Stack>
          )}
        </Box>
      </Stack>
      {highRisk.length > 0 && (
        <Typography role="alert" sx={{ mt: 1, color: 'error.main', fontWeight: 600 }}>
          Alert: {highRisk.length} high-criticality allerg{highRisk.length === 1 ? 'y' : 'ies'}.
        </Typography>
      )}
    </Paper>
  );
}
