import type { PoolClient } from 'pg';
import type { AppDeps } from '../../core/deps';
import { ServiceUnavailableError } from '../../core/errors';

/** A pool that cannot hand out a connection in time is an overload (503 with Retry-After), not a bug (500). */
export async function connectOrBusy(deps: Pick<AppDeps, 'pg'>): Promise<PoolClient> {
  try {
    return await deps.pg.connect();
  } catch (err) {
    throw new ServiceUnavailableError('DATABASE_BUSY', 'The database is busy; try again', {
      reason: (err as Error).message.slice(0, 100),
    });
  }
}
