import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiCall } from './api';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Names and passwords take letters where a run id has digits. */
export const letters = (s: string) => s.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

export interface StaffAccount {
  id: string;
  username: string;
  password: string;
}

/** Staff accounts a spec creates, and disables again with `disableAccounts` when it ends. */
export function staffAccounts(run: string, admin: () => string) {
  const made: StaffAccount[] = [];
  return {
    async create(role: string, key: string, fhirPractitionerId?: string): Promise<StaffAccount> {
      const username = `e2e.${key}.${run}`;
      const password = `Img-Test-Pass-${letters(run)}-${key.length}!`;
      const u = await apiCall<{ id: string }>('POST', '/api/users', admin(), {
        username,
        displayName: `${key} ${letters(run)}`,
        role,
        password,
        ...(fhirPractitionerId ? { fhirPractitionerId } : {}),
      });
      const a = { id: u.id, username, password };
      made.push(a);
      return a;
    },
    async disableAll(): Promise<void> {
      for (const a of made)
        await apiCall('PATCH', `/api/users/${a.id}`, admin(), { disabled: true }).catch(() => undefined);
    },
  };
}

/** Synthetic DICOM files written by the demo generator (dcmjs, the code the demo loader uses); returns the folder. */
export function writeSyntheticStudy(o: { kind: 'ct' | 'xr'; seed: string; mrn: string; name: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), `wintehr-e2e-${o.kind}-`));
  execFileSync(
    'node',
    [
      '--import',
      'tsx',
      'scripts/seed/imaging-demo.ts',
      'write',
      '--out',
      dir,
      '--mrn',
      o.mrn,
      '--kind',
      o.kind,
      '--seed',
      o.seed,
      '--name',
      o.name,
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  return dir;
}
