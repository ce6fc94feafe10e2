import { Box } from '@mui/material';
import type { ReactNode } from 'react';
import { PageHeader } from '../../core/ui/states';
import { PortalSection } from './PortalSection';

/** Insurance on file and the payer's latest answer; the card itself comes from the eligibility feature via the app. */
export function InsurancePage({ coverage }: { coverage: ReactNode }) {
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Insurance" />
      <PortalSection title="Your coverage">{coverage}</PortalSection>
    </Box>
  );
}
