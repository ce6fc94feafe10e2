import type { AppDeps } from '../../core/deps';

/**
 * Undo a HAPI write whose PostgreSQL side did not commit. Deletes the resource; if HAPI refuses the delete,
 * marks it entered-in-error so no reader treats it as real. Never throws: the caller is already failing and
 * reports the original error; a compensation that also fails is logged loudly for manual reconciliation
 * (the resource carries the ledger id in its identifier).
 */
export async function compensateCreate(
  deps: Pick<AppDeps, 'fhir' | 'logger'>,
  resource: fhir4.MedicationDispense | fhir4.Communication,
): Promise<'deleted' | 'entered-in-error' | 'failed'> {
  try {
    await deps.fhir.delete(resource.resourceType, resource.id!);
    return 'deleted';
  } catch (err) {
    try {
      await deps.fhir.update({ ...resource, status: 'entered-in-error' } as
        fhir4.MedicationDispense | fhir4.Communication);
      return 'entered-in-error';
    } catch (err2) {
      deps.logger.error(
        {
          err: { message: (err2 as Error).message },
          first: (err as Error).message,
          resourceType: resource.resourceType,
          resourceId: resource.id,
        },
        'pharmacy: compensation failed; reconcile by hand',
      );
      return 'failed';
    }
  }
}

/** Finds a create that may have happened although the call failed (timeout after HAPI committed) and undoes it. */
export async function compensateByIdentifier(
  deps: Pick<AppDeps, 'fhir' | 'logger'>,
  type: 'MedicationDispense' | 'Communication',
  system: string,
  value: string,
): Promise<void> {
  try {
    const found = await deps.fhir.searchResources(type, { identifier: `${system}|${value}` });
    for (const r of found) await compensateCreate(deps, r as fhir4.MedicationDispense | fhir4.Communication);
  } catch (err) {
    deps.logger.error(
      { err: { message: (err as Error).message }, type, identifier: value },
      'pharmacy: could not check for a half-written resource; reconcile by hand',
    );
  }
}
