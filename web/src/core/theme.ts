import { createTheme } from '@mui/material/styles';

// Colours chosen for WCAG 2.1 AA contrast on white and on the primary bar.
export const theme = createTheme({
  palette: {
    primary: { main: '#0b5394' },
    secondary: { main: '#6a1b9a' },
    error: { main: '#b71c1c' },
  },
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
});
