import { Box, Container, Paper, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** The frame of the signed-out portal pages (activation, password reset): one card, full width on a phone. */
export function PublicCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box
      component="main"
      id="main-content"
      sx={{ minHeight: '100vh', bgcolor: 'grey.100', display: 'flex', alignItems: { xs: 'stretch', sm: 'center' } }}
    >
      <Container maxWidth="xs" disableGutters sx={{ px: { xs: 0, sm: 2 } }}>
        <Paper sx={{ p: { xs: 2, sm: 4 }, minHeight: { xs: '100vh', sm: 'auto' } }}>
          <Typography variant="h5" component="h1" gutterBottom>
            {title}
          </Typography>
          {children}
        </Paper>
      </Container>
    </Box>
  );
}
