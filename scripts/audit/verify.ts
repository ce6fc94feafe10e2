/**
 * Re-verifies the audit trail's hash chain (HIPAA §164.312(b) integrity check).
 * Usage: DATABASE_URL=postgres://… node --import tsx scripts/audit/verify.ts   (or scripts/audit-verify)
 * Exit 0: intact; 1: broken (prints the first broken id and why); 2: could not check.
 */
import { Pool } from 'pg';
import { verifyAuditTrail } from '../../services/api/src/core/audit/audit-repository';

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'postgres://wintehr:wintehr@127.0.0.1:5432/wintehr';
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  const started = Date.now();
  try {
    const r = await verifyAuditTrail(pool);
    const secs = (Date.now() - started) / 1000;
    console.log(`database:        ${redact(url)}`);
    console.log(`records checked: ${r.checked} in ${secs.toFixed(2)} s`);
    console.log(`head:            id ${r.headId ?? '-'} hash ${r.headHash}`);
    if (r.ok) {
      console.log('result:          OK - the hash chain is intact');
      return 0;
    }
    console.log(`result:          BROKEN at id ${r.firstBrokenId}: ${r.reason}`);
    return 1;
  } catch (err) {
    console.error(`audit-verify: could not check ${redact(url)}: ${(err as Error).message}`);
    return 2;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
