import ErrorIcon from '@mui/icons-material/Error';
import InfoIcon from '@mui/icons-material/Info';
import WarningIcon from '@mui/icons-material/Warning';
import { Alert, Box, Button, Chip, Link, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useId, useState, type ReactElement } from 'react';
import { overrideComplete } from './card-logic';
import type { CardDecision, CdsCoding, CdsSuggestion, Indicator, ShownCard } from './cds-types';
import { Markdown } from './Markdown';

/** Indicator → alert severity, icon and a word, so the level never depends on colour alone. */
const LOOK: Record<Indicator, { severity: 'error' | 'warning' | 'info'; label: string; icon: ReactElement }> = {
  critical: { severity: 'error', label: 'Critical', icon: <ErrorIcon fontSize="inherit" /> },
  warning: { severity: 'warning', label: 'Warning', icon: <WarningIcon fontSize="inherit" /> },
  info: { severity: 'info', label: 'Info', icon: <InfoIcon fontSize="inherit" /> },
};

const codingKey = (c: CdsCoding) => `${c.system ?? ''}|${c.code}`;

/**
 * One CDS Hooks card: indicator, summary, Markdown detail, source, links, suggestions as buttons, and the override
 * with one of the card's reasons (required before a critical card can be overridden).
 */
export function CdsCardView({
  shown,
  decision,
  disabled,
  onAccept,
  onOverride,
  onUndo,
}: {
  shown: ShownCard;
  decision?: CardDecision;
  disabled?: boolean;
  onAccept: (s: CdsSuggestion) => void;
  onOverride: (reason: CdsCoding | undefined, comment: string) => void;
  onUndo: () => void;
}) {
  const { card } = shown;
  const look = LOOK[card.indicator] ?? LOOK.info;
  const headingId = useId();
  const [reasonKey, setReasonKey] = useState('');
  const [comment, setComment] = useState('');
  const reasons = card.overrideReasons ?? [];
  const reason = reasons.find((r) => codingKey(r) === reasonKey);
  const canOverride = card.indicator === 'critical' || reasons.length > 0;

  return (
    <Alert
      severity={look.severity}
      icon={look.icon}
      variant="outlined"
      role="group"
      aria-labelledby={headingId}
      data-testid="cds-card"
      tabIndex={-1}
      data-indicator={card.indicator}
      sx={{ mb: 1.5, '& .MuiAlert-message': { width: '100%' } }}
    >
      <Typography id={headingId} component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        <Box component="span" sx={{ textTransform: 'uppercase', fontSize: '0.75rem', letterSpacing: 0.5, mr: 1 }}>
          {look.label}
        </Box>
        {card.summary}
      </Typography>
      {card.detail && <Markdown source={card.detail} />}
      <Typography variant="caption" component="p" color="text.secondary" sx={{ mt: 0.5 }}>
        Source:{' '}
        {card.source.url ? (
          <Link href={card.source.url} target="_blank" rel="noopener noreferrer">
            {card.source.label}
          </Link>
        ) : (
          card.source.label
        )}
        {card.source.topic?.display ? ` · ${card.source.topic.display}` : ''}
      </Typography>
      {!!card.links?.length && (
        <Box component="ul" sx={{ m: 0, pl: 2 }} aria-label="Links">
          {card.links.map((l) => (
            <li key={l.url}>
              <Link href={l.url} target="_blank" rel="noopener noreferrer">
                {l.label}
                {l.type === 'smart' ? ' (app)' : ''}
              </Link>
            </li>
          ))}
        </Box>
      )}

      {decision ? (
        <Stack direction="row" spacing={1} alignItems="center" sx={{ mt: 1 }} flexWrap="wrap" useFlexGap>
          <Chip
            size="small"
            color={decision.outcome === 'accepted' ? 'success' : 'default'}
            data-testid="cds-decision"
            label={
              decision.outcome === 'accepted'
                ? `Suggestion applied${decision.suggestionUuid ? `: ${card.suggestions?.find((s) => s.uuid === decision.suggestionUuid)?.label ?? ''}` : ''}`
                : `Overridden${decision.reason ? `: ${decision.reason.display ?? decision.reason.code}` : ''}`
            }
          />
          {decision.outcome === 'overridden' && (
            <Button size="small" onClick={onUndo} disabled={disabled}>
              Change
            </Button>
          )}
        </Stack>
      ) : (
        <>
          {!!card.suggestions?.length && (
            <Stack
              direction="row"
              spacing={1}
              sx={{ mt: 1 }}
              flexWrap="wrap"
              useFlexGap
              aria-label="Suggestions"
              role="group"
            >
              {card.suggestions.map((s, i) => (
                <Button
                  key={s.uuid ?? i}
                  size="small"
                  variant={s.isRecommended ? 'contained' : 'outlined'}
                  color={look.severity === 'error' ? 'error' : 'primary'}
                  disabled={disabled}
                  onClick={() => onAccept(s)}
                >
                  {s.label}
                  {s.isRecommended ? ' (recommended)' : ''}
                </Button>
              ))}
            </Stack>
          )}
          {canOverride && (
            <Stack
              direction={{ xs: 'column', sm: 'row' }}
              spacing={1}
              sx={{ mt: 1.5 }}
              alignItems={{ sm: 'flex-start' }}
            >
              {reasons.length > 0 && (
                <TextField
                  select
                  size="small"
                  label="Override reason"
                  value={reasonKey}
                  onChange={(e) => setReasonKey(e.target.value)}
                  sx={{ minWidth: 260 }}
                  required={card.indicator === 'critical'}
                  disabled={disabled}
                >
                  {reasons.map((r) => (
                    <MenuItem key={codingKey(r)} value={codingKey(r)}>
                      {r.display ?? r.code}
                    </MenuItem>
                  ))}
                </TextField>
              )}
              <TextField
                size="small"
                label="Comment (optional)"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                disabled={disabled}
                slotProps={{ htmlInput: { maxLength: 300 } }}
                sx={{ flex: 1 }}
              />
              <Button
                variant="outlined"
                color="inherit"
                disabled={disabled || !overrideComplete(card, { outcome: 'overridden', reason, at: '' })}
                onClick={() => onOverride(reason, comment)}
              >
                {reasons.length ? 'Override' : 'Acknowledge'}
              </Button>
            </Stack>
          )}
        </>
      )}
    </Alert>
  );
}
