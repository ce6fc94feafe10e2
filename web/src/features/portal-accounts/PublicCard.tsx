import { Alert, Box, Button, Container, Paper, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';

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

/** The end of a signed-out flow (account activated, password changed): what happened, and the way to sign in. */
export function SignInNextCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <PublicCard title={title}>
      <Stack spacing={2}>
        <Alert severity="success" role="status">
          {children}
        </Alert>
        <Button component={RouterLink} to="/login" variant="contained">
          Go to sign in
        </Button>
      </Stack>
    </PublicCard>
  );
}
