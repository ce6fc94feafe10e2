import InboxIcon from '@mui/icons-material/Inbox';
import { Badge, IconButton, Tooltip } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import { inbasketApi, inbasketKeys } from './inbasket-api';
import { countLabel } from './inbasket-view';
import { useInbasketLive } from './useInbasketLive';

/** The app bar's in-basket button with the live number of open items. */
export function InbasketBadge() {
  useInbasketLive();
  const q = useQuery({ queryKey: inbasketKeys.counts, queryFn: inbasketApi.counts, refetchInterval: 120_000 });
  const n = q.data?.total ?? 0;
  return (
    <Tooltip title="In-basket">
      <IconButton color="inherit" component={RouterLink} to="/inbasket" aria-label={countLabel(n)}>
        {/* No hidden "0": its text would not match the button's accessible name (axe label-content-name-mismatch). */}
        <Badge badgeContent={n || undefined} color="error" max={99} data-testid="inbasket-badge" data-count={n}>
          <InboxIcon />
        </Badge>
      </IconButton>
    </Tooltip>
  );
}
