import { createTheme } from '@mui/material/styles';

// Colours chosen for WCAG 2.1 AA contrast on white and on the primary bar; a visible focus ring everywhere.
const focusRing = { outline: '3px solid #f9a825', outlineOffset: 2 };

export const theme = createTheme({
  palette: {
    primary: { main: '#0b5394' },
    secondary: { main: '#6a1b9a' },
    error: { main: '#b71c1c' },
    success: { main: '#1b5e20' },
    warning: { main: '#8a4b00' },
    info: { main: '#01579b' },
    text: { secondary: 'rgba(0, 0, 0, 0.68)' },
  },
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  components: {
    MuiButtonBase: { styleOverrides: { root: { '&.Mui-focusVisible': focusRing } } },
    MuiLink: { styleOverrides: { root: { '&:focus-visible': focusRing } } },
    MuiToggleButton: { styleOverrides: { root: { color: 'rgba(0, 0, 0, 0.78)' } } },
    MuiCssBaseline: { styleOverrides: { 'a:focus-visible': focusRing } },
  },
});
