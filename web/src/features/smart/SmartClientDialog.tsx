import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Stack,
  Switch,
  TextField,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../core/api/api-error';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import {
  clientPatch,
  DEFAULT_APP_SCOPES,
  DEFAULT_BACKEND_SCOPES,
  draftOf,
  emptyDraft,
  newClientBody,
  usesKeys,
  type ClientDraft,
} from './client-form';
import { smartApi, smartKeys, type ClientType, type SmartClient } from './smart-api';

const TYPE_LABELS: Record<ClientType, string> = {
  public: 'Public app (browser or mobile, PKCE)',
  confidential: 'Confidential app (server side)',
  backend: 'Backend service (no user)',
};
/** Native selects (keyboard and screen readers get the platform control); the label stays above an empty first option. */
const native = { select: { native: true }, inputLabel: { shrink: true } } as const;

/** Register a SMART client (client = undefined) or edit one. The server's field problems show on their fields. */
export function SmartClientDialog({
  client,
  onClose,
  onSaved,
}: {
  client?: SmartClient;
  onClose: () => void;
  onSaved: (c: SmartClient) => void;
}) {
  const editing = !!client;
  const [draft, setDraft] = useState<ClientDraft>(() => (client ? draftOf(client) : emptyDraft()));
  const [rotate, setRotate] = useState(false);
  const [shown, setShown] = useState(false);
  const queryClient = useQueryClient();
  const check = client ? clientPatch(client, draft) : newClientBody(draft);
  const save = useMutation({
    mutationFn: async () => {
      if (!check.ok) throw new Error('invalid form');
      if (client)
        return smartApi.update(client.clientId, { ...check.value, ...(rotate ? { rotateSecret: true } : {}) });
      return smartApi.create(check.value as Parameters<typeof smartApi.create>[0]);
    },
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: smartKeys.clients });
      void queryClient.invalidateQueries({ queryKey: smartKeys.apps });
      onSaved(c);
    },
  });
  const server = save.error instanceof ApiError ? save.error.fieldProblems : [];
  const problemOf = (f: keyof ClientDraft | 'tokenEndpointAuthMethod') =>
    (shown && !check.ok ? check.problems[`body.${f}`] : undefined) ??
    server.find((p) => p.field === `body.${f}`)?.message;
  const set = <K extends keyof ClientDraft>(k: K, v: ClientDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const text = (
    k: 'clientId' | 'name' | 'redirectUris' | 'allowedScopes' | 'launchUrl' | 'jwksUri' | 'jwks',
    label: string,
    extra: Partial<React.ComponentProps<typeof TextField>> = {},
  ) => (
    <TextField
      label={label}
      value={draft[k]}
      onChange={(e) => set(k, e.target.value)}
      fullWidth
      error={!!problemOf(k)}
      {...extra}
      helperText={problemOf(k) ?? extra.helperText}
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    if (check.ok) save.mutate();
  };
  const type = draft.type;

  return (
    <Dialog open onClose={onClose} aria-labelledby="smart-client-title" fullWidth maxWidth="md">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="smart-client-title">{editing ? `Edit ${client.name}` : 'Register a SMART app'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {!editing && (
              <TextField
                select
                label="Client type"
                value={type}
                slotProps={native}
                fullWidth
                onChange={(e) => {
                  const t = e.target.value as ClientType;
                  // Backend services take system/ scopes only, apps never: switch the defaults with the type.
                  setDraft((d) => ({
                    ...d,
                    type: t,
                    allowedScopes:
                      d.allowedScopes === DEFAULT_APP_SCOPES || d.allowedScopes === DEFAULT_BACKEND_SCOPES
                        ? t === 'backend'
                          ? DEFAULT_BACKEND_SCOPES
                          : DEFAULT_APP_SCOPES
                        : d.allowedScopes,
                  }));
                }}
              >
                {(Object.keys(TYPE_LABELS) as ClientType[]).map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABELS[t]}
                  </option>
                ))}
              </TextField>
            )}
            {!editing && type === 'confidential' && (
              <TextField
                select
                label="Client authentication"
                value={draft.authMethod}
                slotProps={native}
                fullWidth
                onChange={(e) => set('authMethod', e.target.value as ClientDraft['authMethod'])}
                error={!!problemOf('tokenEndpointAuthMethod')}
                helperText={problemOf('tokenEndpointAuthMethod') ?? 'A client secret is shown once after registration'}
              >
                <option value="client_secret_basic">Client secret (HTTP Basic)</option>
                <option value="private_key_jwt">Signed JWT (private_key_jwt)</option>
              </TextField>
            )}
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              {text('name', 'App name', { required: true, autoFocus: true })}
              {!editing && text('clientId', 'Client id (optional)', { helperText: 'Generated when empty' })}
            </Stack>
            {type !== 'backend' &&
              text('redirectUris', 'Redirect URIs', {
                required: true,
                multiline: true,
                minRows: 2,
                helperText: 'One per line; exact match at authorization',
              })}
            {type !== 'backend' &&
              text('launchUrl', 'Launch URL (optional)', {
                helperText:
                  'Where an EHR launch sends the user (with iss and launch); apps without one are not offered on the chart',
              })}
            {text('allowedScopes', 'Allowed scopes', {
              required: true,
              multiline: true,
              minRows: 2,
              helperText: 'Space- or line-separated, e.g. launch/patient patient/*.rs',
            })}
            {usesKeys(draft) && text('jwksUri', 'JWKS URL')}
            {usesKeys(draft) &&
              text('jwks', 'JWKS (JSON, public keys)', {
                multiline: true,
                minRows: 3,
                helperText: 'Either a JWKS URL or the key set itself',
              })}
            {editing && (
              <Stack direction="row" spacing={3}>
                <FormControlLabel
                  control={<Switch checked={draft.disabled} onChange={(e) => set('disabled', e.target.checked)} />}
                  label="Disabled"
                />
                {client.tokenEndpointAuthMethod === 'client_secret_basic' && (
                  <FormControlLabel
                    control={<Checkbox checked={rotate} onChange={(e) => setRotate(e.target.checked)} />}
                    label="Issue a new client secret"
                  />
                )}
              </Stack>
            )}
            <ErrorAlert error={save.error} title={editing ? 'Not saved' : 'Not registered'} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : editing ? 'Save' : 'Register'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
