import LaunchIcon from '@mui/icons-material/Launch';
import { Alert, Box, Button, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState } from '../../core/ui/states';
import { smartApi, smartKeys, type SmartApp } from './smart-api';

/**
 * A tab opened inside the click (so no popup blocker interferes) and cut from its opener: the app in it must
 * not be able to navigate the EHR's tab. It is pointed at the launch URL once the API has issued the launch.
 */
function openDetachedTab(): Window | null {
  const w = window.open('about:blank', '_blank');
  if (w) w.opener = null;
  return w;
}

function hostOf(url: string | null): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

type Outcome = { app: SmartApp; opened: true } | { app: SmartApp; opened: false; url: string };

/** The chart's SMART launcher: the registered apps, each launched with this patient in context (EHR launch). */
export function SmartAppsTab({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const allowed = can(user, 'smart:launch');
  const apps = useQuery({ queryKey: smartKeys.apps, queryFn: smartApi.apps, enabled: allowed });
  const [outcome, setOutcome] = useState<Outcome>();
  const launch = useMutation({
    mutationFn: async ({ app, tab }: { app: SmartApp; tab: Window | null }) => {
      try {
        const { launchUrl } = await smartApi.launch(app.clientId, patientId);
        if (tab && !tab.closed) {
          tab.location.href = launchUrl;
          return { app, opened: true } as const;
        }
        return { app, opened: false, url: launchUrl } as const;
      } catch (err) {
        tab?.close();
        throw err;
      }
    },
    onMutate: () => setOutcome(undefined),
    onSuccess: setOutcome,
  });

  if (!allowed) return <Alert severity="info">Your role does not launch SMART apps.</Alert>;
  return (
    <Box component="section" aria-labelledby="smart-apps-title">
      <Typography id="smart-apps-title" variant="h6" component="h2">
        SMART apps
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        Apps open in a new tab with this patient in context. You sign in there and approve what the app may read.
      </Typography>
      {apps.isLoading && <LoadingState label="Loading apps…" />}
      <ErrorAlert error={apps.error} title="The apps could not be loaded" onRetry={() => void apps.refetch()} />
      {apps.data && apps.data.apps.length === 0 && (
        <EmptyState>No SMART apps are registered. An administrator can register them under SMART apps.</EmptyState>
      )}
      {!!apps.data?.apps.length && (
        <List aria-label="SMART apps" sx={{ maxWidth: 720 }}>
          {apps.data.apps.map((app) => (
            <ListItem
              key={app.clientId}
              divider
              data-testid="smart-app"
              secondaryAction={
                <Button
                  variant="contained"
                  startIcon={<LaunchIcon />}
                  aria-label={`Launch ${app.name}`}
                  disabled={launch.isPending}
                  onClick={() => launch.mutate({ app, tab: openDetachedTab() })}
                >
                  {launch.isPending && launch.variables?.app.clientId === app.clientId ? 'Launching…' : 'Launch'}
                </Button>
              }
            >
              <ListItemText primary={app.name} secondary={hostOf(app.launchUrl) ?? app.clientId} sx={{ pr: 16 }} />
            </ListItem>
          ))}
        </List>
      )}
      <ErrorAlert error={launch.error} title="The app could not be launched" />
      {outcome?.opened && (
        <Alert severity="success" role="status" sx={{ mt: 1 }}>
          {outcome.app.name} opened in a new tab.
        </Alert>
      )}
      {outcome && !outcome.opened && (
        <Alert severity="warning" role="status" sx={{ mt: 1 }}>
          Your browser did not open a new tab.{' '}
          <Link href={outcome.url} target="_blank" rel="noopener noreferrer">
            Open {outcome.app.name}
          </Link>{' '}
          (the link works once, for 5 minutes).
        </Alert>
      )}
    </Box>
  );
}
