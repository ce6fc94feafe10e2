import { Alert, Box, List, ListItem, ListItemText, Typography } from '@mui/material';
import type { PortalRecord } from '@wintehr/contracts';
import type { ReactNode } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { useMyRecord } from './portal-api';
import { allergySummary } from './portal-labels';
import { PortalSection } from '../../core/ui/PortalSection';
import { useWhose } from './TierGate';

function Items<T>({ items, empty, render }: { items: T[]; empty: string; render: (x: T) => ReactNode }) {
  if (!items.length) return <Typography color="text.secondary">{empty}</Typography>;
  return (
    <List dense disablePadding>
      {items.map(render)}
    </List>
  );
}

/** My record (the portal's landing page): what the chart says about me, in plain words (problems through signed notes). */
export function MyRecordPage() {
  const { user } = useAuth();
  const { actingForOther, name } = useWhose();
  const q = useMyRecord();
  if (q.isLoading) return <LoadingState label="Loading your record…" />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} title="Your record could not be loaded" />;
  const r = q.data;
  const allergyNote = allergySummary(r.allergies);
  const shown = (section: NonNullable<PortalRecord['hidden']>[number]) => !r.hidden?.includes(section);
  return (
    <Box sx={{ maxWidth: 880 }}>
      {/* The portal's landing page: the greeting is the page title, as on every role's home. */}
      <PageHeader title={actingForOther ? `${name}'s record` : `Welcome, ${user?.displayName ?? ''}`} />
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {actingForOther
          ? `You are acting for ${name}. This is their health record as their care team keeps it.`
          : 'Your health record as your care team keeps it. Test results are under “Test results”.'}
      </Typography>
      {!!r.hidden?.length && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="tier-notice">
          Some parts of {name ? `${name}'s` : 'this'} record (health problems, medications, vital signs and notes) are
          not available to a proxy for a 12–17 year old.
        </Alert>
      )}
      {shown('problems') && (
        <PortalSection title="Health problems">
          <Items
            items={r.problems}
            empty="No current health problems are listed."
            render={(p) => (
              <ListItem key={p.id} disableGutters>
                <ListItemText primary={p.name} secondary={p.since ? `Since ${formatDate(p.since)}` : undefined} />
              </ListItem>
            )}
          />
        </PortalSection>
      )}
      {shown('medications') && (
        <PortalSection title="Medications">
          <Items
            items={r.medications}
            empty="No current medications are listed."
            render={(m) => (
              <ListItem key={m.id} disableGutters>
                <ListItemText
                  primary={m.name}
                  secondary={[m.instructions, m.status === 'on-hold' ? 'On hold' : null].filter(Boolean).join(' · ')}
                />
              </ListItem>
            )}
          />
        </PortalSection>
      )}
      {shown('allergies') && (
        <PortalSection title="Allergies">
          {allergyNote ? (
            <Alert severity={r.allergies.state === 'not-recorded' ? 'info' : 'success'} data-testid="allergy-state">
              {allergyNote}
            </Alert>
          ) : (
            <Items
              items={r.allergies.items}
              empty=""
              render={(a) => (
                <ListItem key={a.id} disableGutters>
                  <ListItemText
                    primary={a.substance}
                    secondary={[a.reactions.join(', '), a.criticality === 'high' ? 'High risk' : null]
                      .filter(Boolean)
                      .join(' · ')}
                  />
                </ListItem>
              )}
            />
          )}
        </PortalSection>
      )}
      {shown('immunizations') && (
        <PortalSection title="Immunizations">
          <Items
            items={r.immunizations}
            empty="No immunizations are recorded."
            render={(i) => (
              <ListItem key={i.id} disableGutters>
                <ListItemText primary={i.vaccine} secondary={i.date ? formatDate(i.date) : undefined} />
              </ListItem>
            )}
          />
        </PortalSection>
      )}
      {shown('vitals') && (
        <PortalSection title="Latest vital signs">
          <Items
            items={r.vitals}
            empty="No vital signs are recorded."
            render={(v) => (
              <ListItem key={v.name} disableGutters>
                <ListItemText
                  primary={`${v.name}: ${v.value}`}
                  secondary={v.date ? formatDateTime(v.date) : undefined}
                />
              </ListItem>
            )}
          />
        </PortalSection>
      )}
      {shown('visits') && (
        <PortalSection title="Visit summaries">
          <Items
            items={r.visits}
            empty="No finished visits yet."
            render={(v) => (
              <ListItem key={v.id} disableGutters>
                <ListItemText
                  primary={`${v.type}${v.start ? ` on ${formatDate(v.start)}` : ''}`}
                  secondary={[v.reason, v.clinician].filter(Boolean).join(' · ') || undefined}
                />
              </ListItem>
            )}
          />
        </PortalSection>
      )}
      {shown('notes') && (
        <PortalSection title="Notes from your care team">
          {r.notes.length === 0 ? (
            <Typography color="text.secondary">No signed notes yet.</Typography>
          ) : (
            r.notes.map((n) => (
              <Box key={n.id} component="article" sx={{ mb: 2 }} aria-label={n.title}>
                <Typography variant="subtitle1" component="h3">
                  {n.title}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {[n.date ? formatDate(n.date) : null, n.author].filter(Boolean).join(' · ')}
                </Typography>
                <Typography
                  component="pre"
                  sx={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', m: 0, mt: 1, overflowWrap: 'anywhere' }}
                >
                  {n.text}
                </Typography>
              </Box>
            ))
          )}
        </PortalSection>
      )}
    </Box>
  );
}
