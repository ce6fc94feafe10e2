import CloudOffIcon from '@mui/icons-material/CloudOff';
import SyncIcon from '@mui/icons-material/Sync';
import WifiTetheringIcon from '@mui/icons-material/WifiTethering';
import { Box, Chip } from '@mui/material';
import type { RealtimeStatus } from './reconnect';

const TEXT: Record<RealtimeStatus, string> = {
  live: 'Live updates on',
  connecting: 'Connecting to live updates…',
  offline: 'Live updates off (reload to refresh)',
};

/** The realtime connection state, plus the latest change announced to screen readers (polite). */
export function LiveStatus({ status, announcement }: { status: RealtimeStatus; announcement?: string }) {
  const icon = status === 'live' ? <WifiTetheringIcon /> : status === 'connecting' ? <SyncIcon /> : <CloudOffIcon />;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
      <Chip
        icon={icon}
        label={TEXT[status]}
        size="small"
        variant="outlined"
        data-testid="live-status"
        data-status={status}
        color={status === 'live' ? 'success' : status === 'connecting' ? 'default' : 'warning'}
      />
      <Box
        role="status"
        aria-live="polite"
        aria-atomic="true"
        sx={{ position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
        data-testid="live-announcement"
      >
        {announcement}
      </Box>
    </Box>
  );
}
