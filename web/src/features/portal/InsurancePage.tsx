import { Box } from '@mui/material';
import type { ReactNode } from 'react';
import { PageHeader } from '../../core/ui/states';
import { PortalSection } from './PortalSection';
import { ProxyCoverage } from './ProxyCoverage';
import { useWhose } from './TierGate';

/** Insurance on file and the payer's latest answer; the card itself comes from the eligibility feature via the app. */
export function InsurancePage({ coverage }: { coverage: ReactNode }) {
  const { actingForOther, name } = useWhose();
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Insurance" />
      <PortalSection title={actingForOther ? `${name}'s coverage` : 'Your coverage'}>
        {actingForOther ? <ProxyCoverage /> : coverage}
      </PortalSection>
    </Box>
  );
}
