import { AppBar, Box, Container, Paper, Toolbar, Typography } from '@mui/material';
import { Route, Routes } from 'react-router-dom';
import { SystemStatus } from './features/home/SystemStatus';

function Home() {
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h4" component="h1" gutterBottom>WintEHR</Typography>
      <Typography paragraph>
        A FHIR-native EHR over HAPI FHIR JPA. Sign-in, the chart and the workflows arrive with the identity and
        clinical modules.
      </Typography>
      <SystemStatus />
    </Paper>
  );
}

export function App() {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100' }}>
      <AppBar position="static" component="header">
        <Toolbar><Typography variant="h6" component="span">WintEHR</Typography></Toolbar>
      </AppBar>
      <Container component="main" sx={{ py: 4 }}>
        <Routes>
          <Route path="*" element={<Home />} />
        </Routes>
      </Container>
    </Box>
  );
}
