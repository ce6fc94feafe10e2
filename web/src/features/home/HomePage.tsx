import { Alert, Button, Grid, Paper, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { mayAccess } from '../../core/auth/access';
import { ROUTE_ACCESS } from '../../core/auth/route-access';
import { PageHeader } from '../../core/ui/states';
import { SystemStatus } from './SystemStatus';
import { EligibilityBatchStatus } from './EligibilityBatchStatus';

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper sx={{ p: 2, height: '100%' }} component="section" aria-label={title}>
      <Typography variant="h6" component="h2" gutterBottom>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** The first screen after sign-in, shaped by the role's work. */
export function HomePage({
  criticalResults,
  inbasket,
  myPatients,
  portalCoverage,
  imagingWorklist,
}: {
  criticalResults: ReactNode;
  inbasket?: ReactNode;
  /** The clinician's patients with why (care team, assignment, today's appointment) and a link to the schedule. */
  myPatients?: ReactNode;
  /** The portal patient's insurance and the payer's latest answer. */
  portalCoverage?: ReactNode;
  /** The radiologist's count of studies waiting for a report, with a link to the worklist. */
  imagingWorklist?: ReactNode;
}) {
  const { user } = useAuth();
  if (!user) return null;
  const clinician = user.role === 'physician' || user.role === 'nurse' || user.role === 'radiologist';
  return (
    <>
      <PageHeader title={`Welcome, ${user.displayName}`} />
      {!user.mfaEnabled && (
        <Alert
          severity="warning"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" component={RouterLink} to="/account/security">
              Set up
            </Button>
          }
        >
          Two-step verification is off for your account.
        </Alert>
      )}
      <Grid container spacing={2}>
        {clinician && (
          <>
            <Grid size={{ xs: 12, md: 6 }}>
              <Card title="My patients">
                {myPatients && can(user, 'patient:write') ? (
                  myPatients
                ) : (
                  <>
                    <Typography gutterBottom>Find a patient by name, MRN, birth date or phone.</Typography>
                    <Button variant="contained" component={RouterLink} to="/patients">
                      Search patients
                    </Button>
                  </>
                )}
              </Card>
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Card title="Unacknowledged critical results">{criticalResults}</Card>
            </Grid>
            {inbasket && (user.role === 'physician' || user.role === 'nurse') && (
              <Grid size={{ xs: 12, md: 6 }}>
                <Card title="In-basket">{inbasket}</Card>
              </Grid>
            )}
          </>
        )}
        {imagingWorklist && mayAccess(user, ROUTE_ACCESS.imagingWorklist) && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="Reading worklist">{imagingWorklist}</Card>
          </Grid>
        )}
        {user.role === 'pharmacist' && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="Dispensing">
              <Typography gutterBottom>
                Verify and dispense the prescriptions routed to your pharmacy; the queue updates live.
              </Typography>
              <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
                <Button variant="contained" component={RouterLink} to="/pharmacy/queue">
                  Open the queue
                </Button>
                <Button variant="outlined" component={RouterLink} to="/pharmacy/inventory">
                  Inventory
                </Button>
                <Button variant="outlined" component={RouterLink} to="/patients">
                  Search patients
                </Button>
              </Stack>
            </Card>
          </Grid>
        )}
        {user.role === 'lab_technician' && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="Lab work">
              <Typography color="text.secondary">
                Results are entered through the results API (POST /api/results) by the lab interface; open a chart to
                review them.
              </Typography>
              <Button sx={{ mt: 1 }} variant="outlined" component={RouterLink} to="/patients">
                Search patients
              </Button>
            </Card>
          </Grid>
        )}
        {user.role === 'patient' && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="My health record">
              <Typography color="text.secondary">
                The patient portal is a later phase; SMART apps can read your record.
              </Typography>
            </Card>
          </Grid>
        )}
        {user.role === 'patient' && portalCoverage && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="My insurance">{portalCoverage}</Card>
          </Grid>
        )}
        {can(user, 'user:manage') && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="Administration">
              <Typography color="text.secondary" gutterBottom>
                Administration gives no access to charts: to open one in an emergency, find the patient and break the
                glass (reason, time limit, audited and reviewed).
              </Typography>
              <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
                <Button variant="contained" component={RouterLink} to="/admin/users">
                  Users
                </Button>
                <Button variant="outlined" component={RouterLink} to="/admin/audit">
                  Audit trail
                </Button>
                <Button variant="outlined" component={RouterLink} to="/admin/break-glass">
                  Break-glass review
                </Button>
                <Button variant="outlined" component={RouterLink} to="/admin/smart-clients">
                  SMART apps
                </Button>
              </Stack>
            </Card>
          </Grid>
        )}
        {can(user, 'system:config') && (
          <Grid size={{ xs: 12, md: 6 }}>
            <Card title="System">
              <SystemStatus />
              <EligibilityBatchStatus />
            </Card>
          </Grid>
        )}
      </Grid>
    </>
  );
}
