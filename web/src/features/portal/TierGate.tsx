import { Alert, Box } from '@mui/material';
import type { PortalArea } from '@wintehr/contracts';
import type { ReactNode } from 'react';
import { LoadingState, PageHeader } from '../../core/ui/states';
import { useActingFor } from '../../core/portal/acting-for';

/**
 * A portal page a proxy's tier may not reach: a plain explanation instead of the page (and instead of the 403 the
 * API would answer). The patient and a full proxy see the page.
 */
export function TierGate({
  area,
  title,
  what,
  children,
}: {
  area: PortalArea;
  title: string;
  /** What is withheld, in words ("Test results"). */
  what: string;
  children: ReactNode;
}) {
  const { subject, ready, allows } = useActingFor();
  if (!ready) return <LoadingState label="Loading…" />;
  if (allows(area)) return <>{children}</>;
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title={title} />
      <Alert severity="info" data-testid="tier-notice">
        {what} for {subject?.name ?? 'this patient'}: not available to a proxy for a 12–17 year old. Teenagers may keep
        parts of their care confidential; their care team can tell you more.
      </Alert>
    </Box>
  );
}

/** Whose record a page shows, in its sentences: "Your" or "Mateo Rivera's". */
export function useWhose(): { whose: string; actingForOther: boolean; name: string | undefined } {
  const { subject } = useActingFor();
  if (!subject || subject.actingAs === 'self') return { whose: 'Your', actingForOther: false, name: undefined };
  return { whose: `${subject.name}'s`, actingForOther: true, name: subject.name };
}
