import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { clientsRepository } from './clients.repository';

export const DEMO_CLIENT_ID = 'wintehr-demo-app';

/**
 * Demo mode only: a public SMART client for trying the flow locally and for the browser test. It never
 * overwrites an existing registration (an admin may have changed it).
 */
export async function ensureDemoClient(pg: Pool, publicBaseUrl: string, logger: Logger): Promise<void> {
  try {
    await clientsRepository.insert(pg, {
      clientId: DEMO_CLIENT_ID,
      name: 'WintEHR demo SMART app',
      clientType: 'public',
      authMethod: 'none',
      redirectUris: [
        `${publicBaseUrl}/smart-demo/callback`,
        'http://localhost:8000/smart-demo/callback',
        'http://127.0.0.1:8000/smart-demo/callback',
      ],
      allowedScopes: [
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'launch/encounter',
        'offline_access',
        'online_access',
        'patient/*.rs',
        'user/*.rs',
      ],
      launchUrl: `${publicBaseUrl}/smart-demo/launch`,
    });
  } catch (err) {
    // Before migration 008 ran (first start) the table may not exist yet; the next start seeds it.
    logger.warn({ err: { message: (err as Error).message } }, 'SMART demo client not seeded');
  }
}
