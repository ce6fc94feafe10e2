import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, notFound, ServiceUnavailableError } from '../../core/errors';
import { sharedDrugKnowledgeBase } from '../drug-safety/shared-kb';
import { controlledLogRepository } from './controlled-log.repository';
import { connectOrBusy } from './db-connect';
import { compensateByIdentifier, compensateCreate } from './hapi-compensation';
import { inventoryRepository, type LotRow } from './inventory.repository';
import { KeyedLock } from './keyed-lock';
import { buildMedicationDispense, DISPENSE_ID_SYSTEM } from './medication-dispense';
import { productOfNdc, RXNORM_SYSTEM, type NdcProduct } from './ndc';
import type { Pharmacist } from './pharmacist';
import { requirePractitioner } from './pharmacist';
import type { DispenseBody, DispenseResult as DispenseAnswer } from '@wintehr/contracts';
import { publishQueueChanged } from './queue-events';
import { queueRepository, type QueueItemRow } from './queue.repository';
import { checkDispenseQuantity, fefoCandidates, fillOutcome, isExpired, isoDay } from './stock-rules';

/** The contract's answer, with the MedicationDispense as HAPI's client types it (its id is checked at run time). */
export type DispenseResult = Omit<DispenseAnswer, 'medicationDispense'> & {
  medicationDispense: fhir4.MedicationDispense;
};

const SAME_COMPOSITION = new Set(['E', 'EC', 'BC', 'G']);

/** The dispensed product must be the prescribed one, or a declared substitution the prescription allows. */
export function checkProduct(
  mr: fhir4.MedicationRequest,
  product: NdcProduct,
  substitution: DispenseBody['substitution'],
): void {
  const prescribed = mr.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM_SYSTEM)?.code;
  const kb = sharedDrugKnowledgeBase();
  if (prescribed === product.rxcui) {
    if (substitution)
      throw badRequest('Not a substitution', [
        { field: 'body.substitution', message: 'the NDC is the prescribed product; remove the substitution' },
      ]);
    return;
  }
  if (!substitution) {
    throw badRequest('The NDC is not the prescribed product', [
      {
        field: 'body.ndc',
        message: `the NDC is ${product.name} (RxNorm ${product.rxcui}), the prescription is RxNorm ${prescribed ?? 'unknown'}; declare a substitution to dispense another product`,
      },
    ]);
  }
  if (mr.substitution?.allowedBoolean === false)
    throw conflict(
      'The prescriber did not allow substitution (dispense as written)',
      { field: 'body.substitution' },
      'SUBSTITUTION_NOT_ALLOWED',
    );
  const want = [...(prescribed ? (kb.concepts.get(prescribed)?.ingredients ?? []) : [])].sort().join(',');
  const have = [...product.ingredients].sort().join(',');
  if (SAME_COMPOSITION.has(substitution.type) && want !== have) {
    throw badRequest('Not the same composition', [
      {
        field: 'body.substitution.type',
        message: `${substitution.type} needs the same active ingredients as the prescribed product; use TE/TB/TG for a therapeutic alternative`,
      },
    ]);
  }
}

/** Whether the item is in a state that may be dispensed by this pharmacist (checked under the row lock). */
function checkItemState(item: QueueItemRow, me: string): void {
  if (item.status === 'dispensed')
    throw conflict(
      'This prescription has already been dispensed',
      { medicationRequestId: item.medicationRequestId },
      'ALREADY_DISPENSED',
    );
  if (item.status === 'returned')
    throw conflict(
      'This prescription was returned to the prescriber',
      { medicationRequestId: item.medicationRequestId },
      'RETURNED',
    );
  if (item.claimedBy !== me)
    throw conflict(
      item.claimedBy ? 'Another pharmacist has claimed this prescription' : 'Claim the prescription first',
      { claimedBy: item.claimedBy },
      item.claimedBy ? 'CLAIMED_BY_OTHER' : 'NOT_CLAIMED',
    );
  if (!item.verifiedAt)
    throw conflict(
      'Verify the prescription (safety findings and decisions) before dispensing',
      { medicationRequestId: item.medicationRequestId },
      'NOT_VERIFIED',
    );
}

async function takeStock(
  client: PoolClient,
  ph: Pharmacist,
  product: NdcProduct,
  body: DispenseBody,
  today: string,
): Promise<LotRow> {
  if (body.lot) {
    const lots = await inventoryRepository.findLot(client, ph.orgId, product.ndc, body.lot, body.expiry);
    if (!lots.length)
      throw badRequest('Lot not stocked', [
        {
          field: 'body.lot',
          message: `lot ${body.lot}${body.expiry ? ` expiring ${body.expiry}` : ''} of this NDC is not in this pharmacy's inventory`,
        },
      ]);
    const usable = lots.filter((l) => !isExpired(l.expiry, today));
    if (!usable.length)
      throw conflict(
        `Lot ${body.lot} expired on ${lots[0]!.expiry}`,
        { field: 'body.lot', expiry: lots[0]!.expiry },
        'LOT_EXPIRED',
      );
    for (const l of usable) {
      const taken = await inventoryRepository.decrement(client, l.id, body.quantity);
      if (taken) return taken;
    }
    throw conflict(
      `Not enough stock in lot ${body.lot}`,
      {
        ndc: product.ndc,
        lot: body.lot,
        requested: body.quantity,
        available: usable.reduce((s, l) => s + l.quantity, 0),
      },
      'OUT_OF_STOCK',
    );
  }
  const lots = await inventoryRepository.lots(client, ph.orgId, { ndc: product.ndc });
  for (const l of fefoCandidates(lots, body.quantity, today)) {
    // A concurrent dispense may have taken this lot since it was read: the guarded decrement says so.
    const taken = await inventoryRepository.decrement(client, l.id, body.quantity);
    if (taken) return taken;
  }
  const available = lots.filter((l) => !isExpired(l.expiry, today)).reduce((s, l) => s + l.quantity, 0);
  throw conflict(
    'Out of stock for this NDC',
    { ndc: product.ndc, requested: body.quantity, available },
    'OUT_OF_STOCK',
  );
}

/** One pharmacy's dispenses of one NDC queue here before taking a connection (see KeyedLock). */
const dispenseLock = new KeyedLock();

/**
 * Dispense one fill. Consistency between PostgreSQL (stock, ledger, CS log, queue, outbox event) and HAPI
 * (MedicationDispense) without a distributed transaction:
 *   1. BEGIN; lock the queue row; re-check state and quantity; decrement stock with the guarded UPDATE;
 *      write the ledger row, the CS log row, the queue change and the outbox event. Any refusal rolls back.
 *   2. Still inside the transaction (its row locks held): create the MedicationDispense in HAPI, idempotent
 *      on the ledger id. If HAPI fails, roll back (and undo a create that may have landed despite the error).
 *   3. COMMIT. If the commit fails, HAPI holds a dispense that PostgreSQL does not: delete it (or mark it
 *      entered-in-error) and answer 503. So either both sides hold the dispense or neither does.
 */
export async function dispense(
  deps: AppDeps,
  ph: Pharmacist,
  mr: fhir4.MedicationRequest,
  body: DispenseBody,
  now = new Date(),
): Promise<DispenseResult> {
  const practitionerId = requirePractitioner(ph);
  const product = productOfNdc(sharedDrugKnowledgeBase(), body.ndc);
  if (!product)
    throw badRequest('Unknown NDC', [{ field: 'body.ndc', message: 'not an NDC in the drug knowledge base' }]);
  if (mr.status !== 'active')
    throw conflict(`The prescription is ${mr.status}`, { status: mr.status }, 'PRESCRIPTION_NOT_ACTIVE');
  checkProduct(mr, product, body.substitution);
  if (body.expiry && isExpired(body.expiry, isoDay(now)))
    throw conflict(`Lot ${body.lot} expired on ${body.expiry}`, { field: 'body.expiry' }, 'LOT_EXPIRED');

  return dispenseLock.run(`${ph.orgId}|${product.ndc}`, () =>
    dispenseInTransaction(deps, ph, mr, body, product, practitionerId, now),
  );
}

async function dispenseInTransaction(
  deps: AppDeps,
  ph: Pharmacist,
  mr: fhir4.MedicationRequest,
  body: DispenseBody,
  product: NdcProduct,
  practitionerId: string,
  now: Date,
): Promise<DispenseResult> {
  const today = isoDay(now);
  const dispenseId = randomUUID();
  const client = await connectOrBusy(deps);
  let created: fhir4.MedicationDispense | undefined;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const item = await queueRepository.get(client, mr.id!, { forUpdate: true });
    if (!item || item.pharmacyOrgId !== ph.orgId) throw notFound('PharmacyQueueItem', mr.id!);
    checkItemState(item, ph.userId);
    const prescribed = item.quantityPrescribed ?? undefined;
    const problem = checkDispenseQuantity(body.quantity, prescribed, item.quantityDispensed);
    if (problem?.code === 'ALREADY_DISPENSED') throw conflict(problem.message, {}, 'ALREADY_DISPENSED');
    if (problem) throw badRequest('Invalid quantity', [{ field: 'body.quantity', message: problem.message }]);

    const lot = await takeStock(client, ph, product, body, today);
    const fill = fillOutcome(body.quantity, prescribed, item.quantityDispensed);
    await client.query(
      `INSERT INTO pharmacy_dispenses (id, medication_request_id, pharmacy_org_id, lot_id, ndc, quantity, days_supply, substituted, dispensed_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        dispenseId,
        mr.id,
        ph.orgId,
        lot.id,
        product.ndc,
        body.quantity,
        body.daysSupply,
        !!body.substitution,
        ph.userId,
      ],
    );
    if (product.schedule) {
      await controlledLogRepository.append(client, {
        orgId: ph.orgId,
        ndc: product.ndc,
        rxcui: product.rxcui,
        schedule: product.schedule,
        kind: 'dispense',
        quantity: body.quantity,
        lotId: lot.id,
        dispenseId,
        userId: ph.userId,
      });
    }
    await queueRepository.recordDispense(client, mr.id!, body.quantity, fill.status);
    await publishQueueChanged(
      deps,
      {
        orgId: ph.orgId,
        medicationRequestId: mr.id!,
        patientId: item.patientId,
        status: fill.status,
        change: fill.status,
        actorUserId: ph.userId,
      },
      client,
    );

    const resource = buildMedicationDispense({
      dispenseId,
      mr,
      patientId: item.patientId,
      practitionerId,
      orgId: ph.orgId,
      product,
      lot: { lotNumber: lot.lotNumber, expiry: lot.expiry },
      quantity: body.quantity,
      daysSupply: body.daysSupply,
      substitution: body.substitution,
      counselling: body.counselling,
      fill,
      now,
    });
    try {
      created = await deps.fhir.create(resource, { ifNoneExist: `identifier=${DISPENSE_ID_SYSTEM}|${dispenseId}` });
    } catch (err) {
      await compensateByIdentifier(deps, 'MedicationDispense', DISPENSE_ID_SYSTEM, dispenseId);
      throw err;
    }
    await client.query('UPDATE pharmacy_dispenses SET medication_dispense_id = $2 WHERE id = $1', [
      dispenseId,
      created.id,
    ]);
    try {
      await client.query('COMMIT');
    } catch (err) {
      broken = err as Error;
      const undone = await compensateCreate(deps, created);
      deps.logger.error(
        { err: { message: broken.message }, dispenseId, medicationDispenseId: created.id, undone },
        'pharmacy: dispense commit failed after the HAPI write; compensated',
      );
      throw new ServiceUnavailableError(
        'DISPENSE_NOT_RECORDED',
        'The dispense could not be recorded; nothing was dispensed. Try again.',
        { undone },
      );
    }
    return {
      medicationDispense: created,
      dispense: {
        id: dispenseId,
        ndc: product.ndc,
        quantity: body.quantity,
        fillType: fill.fillType,
        lot: { id: lot.id, lotNumber: lot.lotNumber, expiry: lot.expiry, remaining: lot.quantity },
        ...(product.schedule ? { deaSchedule: product.schedule } : {}),
      },
      item: {
        medicationRequestId: mr.id!,
        status: fill.status,
        quantityDispensed: item.quantityDispensed + body.quantity,
        quantityRemaining: fill.remainingAfter,
      },
    };
  } catch (err) {
    if (!broken)
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
    throw err;
  } finally {
    client.release(broken);
  }
}
