import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useReducer, useRef, type ReactNode } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { StepUpDialog } from '../../core/auth/StepUpDialog';
import { applySuggestion, overrideForFindings, unresolvedCritical } from '../../core/cds/card-logic';
import { CdsCardView } from '../../core/cds/CdsCardView';
import type { CardDecision, CdsSuggestion, ShownCard } from '../../core/cds/cds-types';
import { cdsUserId } from '../../core/cds/hook-requests';
import { useOrderCds } from '../../core/cds/useOrderCds';
import { uuid } from '../../core/cds/uuid';
import {
  medicationsApi,
  overrideRequired,
  stepUpRequired,
  type PrescribeResult,
  type SendResult,
} from './medications-api';
import type { PrescribeRequest } from '@wintehr/contracts';
import { DosageSelects } from './DosageSelects';
import { DrugSearchField } from './DrugSearchField';
import { PharmacyField } from './PharmacyField';
import { initialPrescribeState, prescribeReducer } from './prescribe-state';
import {
  DOSE_UNITS,
  draftMedicationRequest,
  drugOfDraft,
  toPrescribeBody,
  validateForm,
  type DrugChoice,
  type PrescriptionForm,
} from './prescription';

export interface SignedPrescription {
  result: PrescribeResult;
  sent?: SendResult;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="fieldset" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, m: 0, mt: 2 }}>
      <Typography component="legend" variant="subtitle2" sx={{ px: 0.5 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/**
 * The prescribe dialog: drug search, structured dosage and dispense, CDS Hooks cards at order-select (drug chosen)
 * and order-sign (before signing), then the prescription (with the override the API asks for), then sending to the
 * chosen pharmacy, with the EPCS step-up when the network send demands it. Nothing is written before "Sign".
 */
export function PrescribeDialog({
  open,
  patientId,
  encounterId,
  onClose,
  onSigned,
}: {
  open: boolean;
  patientId: string;
  /** The visit in progress: a prescription signed now belongs to it. */
  encounterId?: string;
  onClose: () => void;
  onSigned: (s: SignedPrescription) => void;
}) {
  const { user } = useAuth();
  const userId = cdsUserId(user?.fhirUser);
  const cds = useOrderCds({ patientId, userId });
  const withEncounter = (body: PrescribeRequest): PrescribeRequest => (encounterId ? { ...body, encounterId } : body);
  const [state, dispatch] = useReducer(prescribeReducer, undefined, () => initialPrescribeState(uuid()));
  const {
    form,
    draftId,
    showErrors,
    busy,
    notice,
    removedNotice,
    signError,
    uncovered,
    manualReason,
    feedbackWarning,
    created,
    sendError,
    stepUp,
  } = state;
  const signCheckedFor = useRef<string>();
  const cardsRef = useRef<HTMLDivElement>(null);

  const errors = showErrors ? validateForm(form) : {};
  const draftOf = (f: PrescriptionForm, id: string) => draftMedicationRequest(f, { id, patientId, requester: userId });
  const set = <K extends Exclude<keyof PrescriptionForm, 'drug' | 'quantity' | 'quantityTouched'>>(
    k: K,
    v: PrescriptionForm[K],
  ) => dispatch({ type: 'field', field: k, value: v });
  const setNotice = (n: string | undefined) => dispatch({ type: 'notice', notice: n });

  const reset = () => {
    dispatch({ type: 'reset', draftId: uuid() });
    signCheckedFor.current = undefined;
    cds.clear();
  };
  const close = () => {
    reset();
    onClose();
  };

  const chooseDrug = (drug: DrugChoice | undefined) => {
    const action = { type: 'drugChosen', drug, draftId: uuid() } as const;
    dispatch(action);
    signCheckedFor.current = undefined;
    cds.clear();
    // The draft is built from the state this action leads to (dispatch applies it only on the next render).
    const draft = draftOf(prescribeReducer(state, action).form, action.draftId);
    if (draft) void cds.select([draft], [`MedicationRequest/${action.draftId}`]);
  };

  const accept = (shown: ShownCard, s: CdsSuggestion) => {
    const current = draftOf(form, draftId);
    const decision: CardDecision = { outcome: 'accepted', suggestionUuid: s.uuid, at: new Date().toISOString() };
    const decisions = { ...cds.decisions, [shown.key]: decision };
    cds.decide(shown.key, decision);
    void cds
      .flushFeedback(decisions)
      .then(
        (failed) =>
          failed.length &&
          dispatch({ type: 'feedbackWarning', message: 'Your choice could not be reported to decision support.' }),
      );
    const result = applySuggestion(current ? [current] : [], s, uuid);
    const replacement = result.created[0] ? drugOfDraft(result.created[0]) : undefined;
    signCheckedFor.current = undefined;
    if (replacement) {
      const action = {
        type: 'drugReplaced',
        drug: replacement,
        draftId: result.created[0]!.id!,
        previousName: form.drug?.name,
      } as const;
      dispatch(action);
      void cds.select(
        [draftOf(prescribeReducer(state, action).form, action.draftId)!],
        [`MedicationRequest/${action.draftId}`],
      );
    } else if (!result.drafts.length) {
      dispatch({ type: 'drugRemoved', draftId: uuid(), previousName: form.drug?.name });
      cds.clear();
    }
  };

  const send = async (rx: PrescribeResult) => {
    dispatch({ type: 'sendStarted' });
    try {
      const sent = await medicationsApi.send(rx.medicationRequest.id!);
      reset();
      onSigned({ result: rx, sent });
    } catch (err) {
      if (stepUpRequired(err)) dispatch({ type: 'stepUp', open: true });
      else dispatch({ type: 'sendFailed', error: err });
    } finally {
      dispatch({ type: 'busy', busy: false });
    }
  };

  const sign = async () => {
    if (created) {
      await send(created);
      return;
    }
    dispatch({ type: 'signStarted' });
    if (Object.keys(validateForm(form)).length) {
      dispatch({ type: 'incomplete' });
      return;
    }
    const draft = draftOf(form, draftId)!;
    const fingerprint = JSON.stringify(draft);
    let cards = cds.cards;
    let decisions = cds.decisions;
    if (signCheckedFor.current !== fingerprint || cds.phase !== 'sign') {
      dispatch({ type: 'busy', busy: 'checking' });
      const r = await cds.sign([draft]);
      dispatch({ type: 'busy', busy: false });
      signCheckedFor.current = fingerprint;
      // Decision support down: the API's own safety gate still stops a dangerous order below.
      if (r) {
        cards = r.cards;
        decisions = r.decisions;
      } else {
        cards = [];
      }
    }
    if (unresolvedCritical(cards, decisions).length) {
      setNotice('Decide on each critical alert: apply a suggestion, or choose an override reason and override.');
      cardsRef.current?.querySelector<HTMLElement>('[data-indicator="critical"]')?.focus();
      return;
    }
    dispatch({ type: 'busy', busy: 'signing' });
    let sending = false;
    try {
      const failed = await cds.flushFeedback(decisions);
      if (failed.length)
        dispatch({
          type: 'feedbackWarning',
          message: 'Your alert decisions could not be reported to decision support; the prescription is not affected.',
        });
      let rx: PrescribeResult;
      try {
        rx = await medicationsApi.prescribe(patientId, withEncounter(toPrescribeBody(form)));
      } catch (err) {
        const required = overrideRequired(err);
        if (!required) throw err;
        const mapping = overrideForFindings(
          required.findings,
          required.blockingFindingIds,
          cds.history.current,
          decisions,
          manualReason,
        );
        if (!mapping.override) {
          dispatch({ type: 'overrideNeeded', uncovered: mapping.uncovered });
          return;
        }
        rx = await medicationsApi.prescribe(patientId, withEncounter(toPrescribeBody(form, mapping.override)));
      }
      dispatch({ type: 'signed', rx });
      if (form.pharmacy) {
        sending = true;
        await send(rx);
      } else {
        reset();
        onSigned({ result: rx });
      }
    } catch (err) {
      dispatch({ type: 'signFailed', error: err });
    } finally {
      // send() settles its own busy state.
      if (!sending) dispatch({ type: 'busy', busy: false });
    }
  };

  const locked = !!busy || !!created;
  const num = (
    k: 'doseValue' | 'durationDays' | 'quantity' | 'refills' | 'daysSupply',
    label: string,
    extra: { required?: boolean; helper?: string; min?: number; step?: string } = {},
  ) => (
    <TextField
      size="small"
      label={label}
      type="number"
      value={form[k]}
      required={extra.required}
      disabled={locked}
      onChange={(e) =>
        k === 'quantity' ? dispatch({ type: 'quantity', value: e.target.value }) : set(k, e.target.value)
      }
      error={!!errors[k]}
      helperText={errors[k] ?? extra.helper}
      slotProps={{ htmlInput: { min: extra.min ?? 0, step: extra.step ?? 'any' } }}
    />
  );

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : close}
      fullWidth
      maxWidth="md"
      aria-labelledby="prescribe-title"
      scroll="paper"
    >
      <DialogTitle id="prescribe-title">New prescription</DialogTitle>
      <DialogContent dividers>
        <DrugSearchField value={form.drug} onChange={chooseDrug} error={errors.drug} disabled={locked} />
        {removedNotice && (
          <Alert severity="info" role="status" sx={{ mt: 1 }}>
            {removedNotice}
          </Alert>
        )}

        <Box ref={cardsRef} component="section" aria-label="Decision support" sx={{ mt: 2 }}>
          <Box
            role="status"
            aria-live="polite"
            sx={{ position: 'absolute', left: -10000, width: 1, height: 1, overflow: 'hidden' }}
          >
            {cds.checking
              ? 'Checking the order with decision support'
              : cds.cards.length
                ? `${cds.cards.length} decision support alert${cds.cards.length > 1 ? 's' : ''}, ${cds.cards.filter((c) => c.card.indicator === 'critical').length} critical`
                : ''}
          </Box>
          {cds.checking && <LoadingState label="Checking the order with decision support…" />}
          {!!cds.error && (
            <Alert severity="warning" role="status" sx={{ mb: 1 }}>
              <AlertTitle>Decision support could not check this order</AlertTitle>
              {cds.error instanceof Error ? cds.error.message : String(cds.error)} The prescribing safety check still
              runs when you sign.
            </Alert>
          )}
          {form.drug && !cds.checking && !cds.error && cds.cards.length === 0 && cds.phase === 'sign' && (
            <Alert severity="success" role="status" sx={{ mb: 1 }}>
              No alerts for this order.
            </Alert>
          )}
          {cds.cards.map((c) => (
            <CdsCardView
              key={c.key}
              shown={c}
              decision={cds.decisions[c.key]}
              disabled={locked}
              onAccept={(s) => {
                setNotice(undefined);
                accept(c, s);
              }}
              onOverride={(reason, comment) => {
                setNotice(undefined);
                cds.decide(c.key, {
                  outcome: 'overridden',
                  reason,
                  ...(comment.trim() ? { comment: comment.trim() } : {}),
                  at: new Date().toISOString(),
                });
              }}
              onUndo={() => cds.undo(c.key)}
            />
          ))}
        </Box>

        <Section title="Dosage">
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} flexWrap="wrap" useFlexGap>
            {num('doseValue', 'Dose', { required: true })}
            <DosageSelects value={form} onChange={set} unitLabel="Dose unit" disabled={locked} />
            {num('durationDays', 'Duration (days)', { min: 1, step: '1' })}
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ mt: 1 }} alignItems={{ sm: 'center' }}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={form.asNeeded}
                  onChange={(e) => set('asNeeded', e.target.checked)}
                  disabled={locked}
                />
              }
              label="As needed (PRN)"
            />
            {form.asNeeded && (
              <TextField
                size="small"
                label="As needed for"
                value={form.asNeededReason}
                onChange={(e) => set('asNeededReason', e.target.value)}
                disabled={locked}
                error={!!errors.asNeededReason}
                helperText={errors.asNeededReason ?? 'e.g. pain'}
                slotProps={{ htmlInput: { maxLength: 200 } }}
              />
            )}
          </Stack>
        </Section>

        <Section title="Dispense">
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} flexWrap="wrap" useFlexGap>
            {num('quantity', 'Quantity', {
              required: true,
              helper: form.quantityTouched ? undefined : 'Calculated from dose, frequency and duration',
            })}
            <TextField
              select
              size="small"
              label="Quantity unit"
              value={form.quantityUnit}
              onChange={(e) => set('quantityUnit', e.target.value)}
              disabled={locked}
              sx={{ minWidth: 130 }}
            >
              {DOSE_UNITS.map((u) => (
                <MenuItem key={u.code} value={u.code}>
                  {u.label}
                </MenuItem>
              ))}
            </TextField>
            {num('refills', 'Refills', { required: true, step: '1' })}
            {num('daysSupply', 'Days supply', { required: true, min: 1, step: '1' })}
          </Stack>
          <FormControlLabel
            control={
              <Checkbox
                checked={form.substitutionAllowed}
                onChange={(e) => set('substitutionAllowed', e.target.checked)}
                disabled={locked}
              />
            }
            label="Generic substitution allowed"
          />
          <Box sx={{ mt: 1 }}>
            <PharmacyField value={form.pharmacy} onChange={(p) => set('pharmacy', p)} disabled={locked} />
          </Box>
        </Section>

        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ mt: 2 }}>
          <TextField
            size="small"
            fullWidth
            label="Patient instructions"
            value={form.instructions}
            onChange={(e) => set('instructions', e.target.value)}
            disabled={locked}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          <TextField
            size="small"
            fullWidth
            label="Note to pharmacist"
            value={form.note}
            onChange={(e) => set('note', e.target.value)}
            disabled={locked}
            slotProps={{ htmlInput: { maxLength: 1000 } }}
          />
        </Stack>

        {uncovered.length > 0 && (
          <Alert severity="error" sx={{ mt: 2 }} role="alert">
            <AlertTitle>The safety check requires an override</AlertTitle>
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {uncovered.map((f) => (
                <li key={f.id}>{f.message}</li>
              ))}
            </Box>
            <TextField
              size="small"
              fullWidth
              sx={{ mt: 1 }}
              label="Override reason"
              required
              value={manualReason}
              onChange={(e) => dispatch({ type: 'manualReason', value: e.target.value })}
              helperText="At least 5 characters; kept on the prescription"
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </Alert>
        )}
        {notice && (
          <Alert severity="warning" sx={{ mt: 2 }} role="alert">
            {notice}
          </Alert>
        )}
        {feedbackWarning && (
          <Alert severity="info" role="status" sx={{ mt: 2 }}>
            {feedbackWarning}
          </Alert>
        )}
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={signError} title="The prescription was not signed" />
        </Box>
        {created && (
          <Alert severity={sendError ? 'warning' : 'info'} role="status" sx={{ mt: 2 }}>
            Signed: {created.medicationRequest.medicationCodeableConcept?.text}.{' '}
            {sendError ? 'It was not sent to the pharmacy yet.' : 'Sending to the pharmacy…'}
          </Alert>
        )}
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={sendError} title="Sending to the pharmacy failed" />
        </Box>
      </DialogContent>
      <DialogActions>
        {created ? (
          <Button
            onClick={() => {
              const rx = created;
              reset();
              onSigned({ result: rx });
            }}
            disabled={!!busy}
          >
            Close without sending
          </Button>
        ) : (
          <Button onClick={close} disabled={!!busy}>
            Cancel
          </Button>
        )}
        <Button
          variant="contained"
          onClick={() => void sign()}
          disabled={!!busy || cds.checking || (uncovered.length > 0 && manualReason.trim().length < 5)}
        >
          {busy === 'checking'
            ? 'Checking…'
            : busy === 'signing'
              ? 'Signing…'
              : busy === 'sending'
                ? 'Sending…'
                : created
                  ? 'Retry sending'
                  : 'Sign prescription'}
        </Button>
      </DialogActions>
      <StepUpDialog
        open={stepUp}
        reason="Controlled substance prescriptions (EPCS) need a fresh second factor before they are sent."
        onClose={() => dispatch({ type: 'stepUp', open: false, cancelled: true })}
        onVerified={() => {
          dispatch({ type: 'stepUp', open: false });
          if (created) void send(created);
        }}
      />
    </Dialog>
  );
}
