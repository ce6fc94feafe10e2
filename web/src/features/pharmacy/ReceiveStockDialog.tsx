import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../core/api/api-error';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import type { ReceiptResult } from '@wintehr/contracts';
import { EMPTY_RECEIPT, receiptBody, type ReceiptDraft } from './receipt-form';
import { NdcLookupField } from './NdcLookupField';
import { formatNdc } from './ndc-lookup';

/** Receive stock: NDC, lot, expiry, quantity (controlled substances are logged by the API). */
export function ReceiveStockDialog({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (r: ReceiptResult) => void;
}) {
  const [draft, setDraft] = useState<ReceiptDraft>(EMPTY_RECEIPT);
  const [shown, setShown] = useState(false);
  const queryClient = useQueryClient();
  const receive = useMutation({
    mutationFn: pharmacyApi.receive,
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: pharmacyKeys.inventory });
      setDraft(EMPTY_RECEIPT);
      setShown(false);
      onDone(r);
    },
  });
  const check = receiptBody(draft, new Date().toISOString().slice(0, 10));
  const server = receive.error instanceof ApiError ? receive.error.fieldProblems : [];
  const problemOf = (f: string) =>
    (shown && !check.ok ? check.problems[`body.${f}`] : undefined) ??
    server.find((p) => p.field === `body.${f}`)?.message;
  const field = (k: keyof ReceiptDraft, label: string, extra: Partial<React.ComponentProps<typeof TextField>> = {}) => (
    <TextField
      label={label}
      value={draft[k]}
      onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      fullWidth
      error={!!problemOf(k)}
      {...extra}
      helperText={problemOf(k) ?? extra.helperText}
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    if (check.ok) receive.mutate(check.body);
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="receive-title" fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="receive-title">Receive stock</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <NdcLookupField onPick={(o) => setDraft((d) => ({ ...d, ndc: formatNdc(o.ndc) }))} />
            {field('ndc', 'NDC', {
              required: true,
              helperText: 'As printed on the package, e.g. 00143-9713-01',
            })}
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              {field('lot', 'Lot number', { required: true })}
              {field('expiry', 'Expiry date', {
                required: true,
                type: 'date',
                slotProps: { inputLabel: { shrink: true } },
              })}
            </Stack>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              {field('quantity', 'Quantity', { required: true, inputMode: 'decimal' })}
              {field('unit', 'Unit (UCUM)', { helperText: 'e.g. {tablet}, mL' })}
            </Stack>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              {field('supplier', 'Supplier (optional)')}
              {field('invoiceNumber', 'Invoice number (optional)')}
            </Stack>
            {field('lowStockThreshold', 'Low-stock threshold (optional)', { inputMode: 'decimal' })}
            <ErrorAlert error={receive.error} title="Stock not received" />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={receive.isPending}>
            {receive.isPending ? 'Receiving…' : 'Receive'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
