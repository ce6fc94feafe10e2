import { Box, CircularProgress, Typography } from '@mui/material';
import type { ReactNode } from 'react';

export function LoadingState({ label }: { label: string }) {
  return (
    <Box role="status" aria-live="polite" sx={{ display: 'flex', alignItems: 'center', gap: 2, p: 3 }}>
      <CircularProgress size={24} aria-hidden />
      <Typography>{label}</Typography>
    </Box>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Typography sx={{ p: 3, color: 'text.secondary' }} role="status">
      {children}
    </Typography>
  );
}

export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <Box
      sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 2, mb: 2 }}
    >
      <Typography variant="h4" component="h1">
        {title}
      </Typography>
      {actions}
    </Box>
  );
}
