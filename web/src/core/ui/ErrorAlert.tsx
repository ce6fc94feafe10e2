import { Alert, AlertTitle, Box, Button } from '@mui/material';
import { ApiError, describeFieldProblem } from '../api/api-error';

/** Shows an API failure as the server worded it, with field problems and the request id for support. */
export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const retryAfter = apiError?.retryAfterSeconds;
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    >
      {title && <AlertTitle>{title}</AlertTitle>}
      {message}
      {retryAfter !== undefined && ` Try again in ${retryAfter} seconds.`}
      {apiError && apiError.fieldProblems.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {apiError.fieldProblems.map((p) => (
            <li key={p.field + p.message}>{describeFieldProblem(p)}</li>
          ))}
        </Box>
      )}
      {apiError?.requestId && (
        <Box component="div" sx={{ mt: 0.5, fontSize: '0.8rem' }}>
          Request id:{' '}
          <Box component="code" data-testid="request-id">
            {apiError.requestId}
          </Box>
        </Box>
      )}
    </Alert>
  );
}
