import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { ApiError } from '../../core/api/api-error';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import {
  dispenseBody,
  dispensableLines,
  initialDispenseDraft,
  SUBSTITUTION_LABELS,
  SUBSTITUTION_MENU,
  usableLots,
  type DispenseDraft,
} from './dispense-form';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import type { DispenseResult, QueueItemDetail, StockLine, SubstitutionType } from '@wintehr/contracts';

/** Native selects (keyboard and screen readers get the platform control); the label stays above an empty first option. */
const native = { select: { native: true }, inputLabel: { shrink: true } } as const;

function DispenseForm({
  item,
  lines,
  onDone,
  onClose,
}: {
  item: QueueItemDetail;
  lines: StockLine[];
  onDone: (r: DispenseResult) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<DispenseDraft>(() => initialDispenseDraft(item, lines));
  const [shown, setShown] = useState(false);
  const dispense = useMutation({
    mutationFn: (body: Parameters<typeof pharmacyApi.dispense>[1]) =>
      pharmacyApi.dispense(item.medicationRequestId, body),
    onSuccess: onDone,
  });
  const check = dispenseBody(draft, lines, item.quantityRemaining);
  const serverProblems = dispense.error instanceof ApiError ? dispense.error.fieldProblems : [];
  const problemOf = (field: string) =>
    (shown && !check.ok ? check.problems[field] : undefined) ?? serverProblems.find((p) => p.field === field)?.message;
  const set = <K extends keyof DispenseDraft>(k: K, v: DispenseDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const products = dispensableLines(lines, item.drug.rxnorm, draft.substitute);
  const line = lines.find((l) => l.ndc === draft.ndc);
  const lots = usableLots(line);
  const dispenseAsWritten = item.drug.substitutionAllowed === false;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    if (check.ok) dispense.mutate(check.body);
  };

  return (
    <form onSubmit={submit} noValidate>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Typography variant="body2">
            Prescribed: <strong>{item.drug.display ?? `RxNorm ${item.drug.rxnorm ?? '?'}`}</strong>
            {item.quantityRemaining !== undefined && ` · ${item.quantityRemaining} still to dispense`}
          </Typography>
          <FormControlLabel
            label={
              dispenseAsWritten
                ? 'Substitute another product (not allowed: dispense as written)'
                : 'Substitute another product'
            }
            control={
              <Checkbox
                checked={draft.substitute}
                disabled={dispenseAsWritten}
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    substitute: e.target.checked,
                    ndc: dispensableLines(lines, item.drug.rxnorm, e.target.checked)[0]?.ndc ?? '',
                    lotId: '',
                  }))
                }
              />
            }
          />
          {products.length === 0 ? (
            <Alert severity="warning">
              No {draft.substitute ? 'other product' : 'stock of the prescribed product'} is on hand. Receive stock on
              the <RouterLink to="/pharmacy/inventory">inventory page</RouterLink>, or return the prescription to the
              prescriber.
            </Alert>
          ) : (
            <TextField
              select
              label="Product (NDC)"
              value={draft.ndc}
              slotProps={native}
              fullWidth
              required
              onChange={(e) => setDraft((d) => ({ ...d, ndc: e.target.value, lotId: '' }))}
              error={!!problemOf('body.ndc')}
              helperText={problemOf('body.ndc')}
            >
              {!draft.ndc && <option value="">Choose a product</option>}
              {products.map((l) => (
                <option
                  key={l.ndc}
                  value={l.ndc}
                >{`${l.ndcFormatted} · ${l.name ?? `RxNorm ${l.rxcui}`} · ${l.onHand} on hand`}</option>
              ))}
            </TextField>
          )}
          <TextField
            select
            label="Lot"
            value={draft.lotId}
            slotProps={native}
            fullWidth
            onChange={(e) => set('lotId', e.target.value)}
            error={!!problemOf('body.lot')}
            helperText={problemOf('body.lot') ?? 'Automatic picks the first-expiring lot that covers the quantity.'}
          >
            <option value="">First to expire (automatic)</option>
            {lots.map((l) => (
              <option key={l.id} value={l.id}>{`${l.lotNumber} · expires ${l.expiry} · ${l.quantity} on hand`}</option>
            ))}
          </TextField>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField
              label="Quantity"
              value={draft.quantity}
              onChange={(e) => set('quantity', e.target.value)}
              inputMode="decimal"
              required
              fullWidth
              error={!!problemOf('body.quantity')}
              helperText={problemOf('body.quantity') ?? line?.unit.replace(/^\{(.*)\}$/, '$1')}
            />
            <TextField
              label="Days supply"
              value={draft.daysSupply}
              onChange={(e) => set('daysSupply', e.target.value)}
              inputMode="numeric"
              required
              fullWidth
              error={!!problemOf('body.daysSupply')}
              helperText={problemOf('body.daysSupply')}
            />
          </Stack>
          {draft.substitute && (
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                select
                label="Substitution type"
                value={draft.substitutionType}
                slotProps={native}
                sx={{ minWidth: 240 }}
                onChange={(e) => set('substitutionType', e.target.value as SubstitutionType)}
                error={!!problemOf('body.substitution.type')}
                helperText={problemOf('body.substitution.type')}
              >
                {SUBSTITUTION_MENU.map((t) => (
                  <option key={t} value={t}>
                    {SUBSTITUTION_LABELS[t]}
                  </option>
                ))}
              </TextField>
              <TextField
                label="Substitution reason"
                value={draft.substitutionReason}
                onChange={(e) => set('substitutionReason', e.target.value)}
                required
                fullWidth
                error={!!problemOf('body.substitution.reason')}
                helperText={problemOf('body.substitution.reason')}
              />
            </Stack>
          )}
          <Stack direction="row" spacing={2} flexWrap="wrap" useFlexGap>
            <FormControlLabel
              label="Counselling offered"
              control={
                <Checkbox
                  checked={draft.counsellingOffered}
                  onChange={(e) =>
                    setDraft((d) => ({
                      ...d,
                      counsellingOffered: e.target.checked,
                      counsellingAccepted: e.target.checked && d.counsellingAccepted,
                    }))
                  }
                />
              }
            />
            <FormControlLabel
              label="Counselling accepted"
              control={
                <Checkbox
                  checked={draft.counsellingAccepted}
                  disabled={!draft.counsellingOffered}
                  onChange={(e) => set('counsellingAccepted', e.target.checked)}
                />
              }
            />
          </Stack>
          <TextField
            label="Counselling notes (optional)"
            value={draft.counsellingNotes}
            onChange={(e) => set('counsellingNotes', e.target.value)}
            multiline
            minRows={2}
            fullWidth
          />
          <ErrorAlert error={dispense.error} title="Not dispensed" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={dispense.isPending || products.length === 0}>
          {dispense.isPending ? 'Dispensing…' : 'Dispense'}
        </Button>
      </DialogActions>
    </form>
  );
}

/** Dispense a verified prescription from stock: product, lot (or automatic), quantity, days supply, substitution, counselling. */
export function DispenseDialog({
  item,
  open,
  onClose,
  onDone,
}: {
  item: QueueItemDetail;
  open: boolean;
  onClose: () => void;
  onDone: (r: DispenseResult) => void;
}) {
  const stock = useQuery({
    queryKey: pharmacyKeys.inventory,
    queryFn: () => pharmacyApi.inventory(),
    enabled: open,
    staleTime: 0,
  });
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="dispense-title" fullWidth maxWidth="sm">
      <DialogTitle id="dispense-title">Dispense</DialogTitle>
      {stock.isLoading && (
        <DialogContent>
          <LoadingState label="Loading stock…" />
        </DialogContent>
      )}
      {!!stock.error && (
        <>
          <DialogContent>
            <ErrorAlert error={stock.error} title="Stock could not be loaded" onRetry={() => void stock.refetch()} />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </>
      )}
      {stock.data && <DispenseForm item={item} lines={stock.data.items} onDone={onDone} onClose={onClose} />}
    </Dialog>
  );
}
