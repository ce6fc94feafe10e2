import { Alert, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';

interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

/** The readiness endpoint answers 503 with the same body when a dependency is down, so read it either way. */
async function fetchReadiness(): Promise<Readiness> {
  const res = await fetch('/health/ready', { headers: { accept: 'application/json' } });
  return (await res.json()) as Readiness;
}

export function SystemStatus() {
  const { data, isLoading, isError } = useQuery({
    queryKey: ['health', 'ready'],
    queryFn: fetchReadiness,
    refetchInterval: 15_000,
  });
  if (isLoading) return <CircularProgress aria-label="Loading system status" size={24} />;
  if (isError || !data) return <Alert severity="error">The WintEHR API cannot be reached.</Alert>;
  return (
    <Stack spacing={1} aria-live="polite">
      <Typography variant="subtitle1" component="h3">
        Dependencies
      </Typography>
      <Stack direction="row" spacing={1} flexWrap="wrap">
        {Object.entries(data.checks).map(([name, c]) => (
          <Chip
            key={name}
            label={`${name}: ${c.status}${c.status === 'up' ? ` (${c.latencyMs} ms)` : ''}`}
            color={c.status === 'up' ? 'success' : 'error'}
            variant="outlined"
          />
        ))}
      </Stack>
    </Stack>
  );
}
