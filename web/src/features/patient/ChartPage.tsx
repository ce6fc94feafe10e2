import { Alert, Button, Paper, Tab, Tabs } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { BreakGlassDialog } from './BreakGlassDialog';
import { useAuth } from '../../core/auth/AuthContext';
import { chartTabsFor, tabForPath, type ChartTab } from './chart-tabs';
import { ChartTabPanel, type ChartPanels, type SummaryCards } from './ChartTabs';
import { PatientBanner } from './PatientBanner';
import { breakGlassOffer, patientApi } from './patient-api';
import { useOpenEncounter } from './encounter-context';

/** The chart: banner and the tabs the role can use. A 403 with a break-glass offer opens the emergency access dialog. */
export function ChartPage({ panels, summaryCards }: { panels: ChartPanels; summaryCards?: SummaryCards }) {
  const { user } = useAuth();
  const { patientId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [breakGlass, setBreakGlass] = useState(false);
  const summary = useQuery({
    queryKey: ['patient', patientId, 'summary'],
    queryFn: () => patientApi.summary(patientId),
  });
  // The open visit (an in-progress Encounter): shown in the banner; its id is the chart's encounter context.
  const openEncounter = useOpenEncounter(summary.data ? patientId : '');
  const tabs = chartTabsFor(user);
  const tab: ChartTab = tabForPath(location.pathname, tabs) ?? 'summary';

  if (summary.isLoading) return <LoadingState label="Opening the chart…" />;
  const offer = breakGlassOffer(summary.error);
  if (offer) {
    return (
      <>
        <Alert
          severity="warning"
          role="alert"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" onClick={() => setBreakGlass(true)}>
              Break the glass
            </Button>
          }
        >
          {(summary.error as Error).message}. You can open it in an emergency by stating a reason.
        </Alert>
        <Button component={RouterLink} to="/patients">
          Back to search
        </Button>
        <BreakGlassDialog
          patientId={patientId}
          open={breakGlass}
          onClose={() => setBreakGlass(false)}
          onGranted={() => {
            setBreakGlass(false);
            void queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
          }}
        />
      </>
    );
  }
  if (summary.error || !summary.data)
    return (
      <ErrorAlert error={summary.error} title="The chart could not be opened" onRetry={() => void summary.refetch()} />
    );

  return (
    <>
      <PatientBanner summary={summary.data} openEncounter={openEncounter} />
      <Paper>
        <Tabs
          value={tab}
          onChange={(_e, v: ChartTab) => navigate(`/patients/${patientId}/${v}`)}
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Chart sections"
        >
          {tabs.map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} />
          ))}
        </Tabs>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          <ChartTabPanel
            tab={tab}
            patientId={patientId}
            summary={summary.data}
            panels={panels}
            context={{ encounterId: openEncounter?.id }}
            summaryCards={summaryCards}
          />
        </div>
      </Paper>
    </>
  );
}
