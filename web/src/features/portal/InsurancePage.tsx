import { Box } from '@mui/material';
import type { ReactNode } from 'react';
import { PageHeader } from '../../core/ui/states';
import { PortalSection } from '../../core/ui/PortalSection';
import { useWhose } from './TierGate';

/** Insurance on file and the payer's latest answer (of whom the portal acts for); the card comes via the app. */
export function InsurancePage({ coverage }: { coverage: ReactNode }) {
  const { actingForOther, name } = useWhose();
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Insurance" />
      <PortalSection title={actingForOther ? `${name}'s coverage` : 'Your coverage'}>{coverage}</PortalSection>
    </Box>
  );
}
