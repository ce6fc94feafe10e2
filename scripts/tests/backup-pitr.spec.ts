/**
 * Backups restore, to the latest moment and to a point in time (issue #18): scripts/backup.sh and
 * scripts/restore-drill.sh run against a throw-away cluster of this test (initdb on a free port in a temporary
 * directory) holding a HAPI-like resource table in database "hapi" and our real migrations in "wintehr". A
 * "prescription" is written after the base backup, then an "audit record"; the drill must find both when restoring
 * everything, and only the prescription when restoring to a moment between the two writes. The shared cluster is
 * never touched.
 * Run: node --import tsx --test scripts/tests/backup-pitr.spec.ts
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIGRATIONS = path.join(ROOT, 'services/api/migrations');
const isRoot = process.getuid?.() === 0;

function run(cmd: string, args: string[], env: Record<string, string> = {}): string {
  // initdb and postgres refuse root: as root, PostgreSQL's programs run as the 'postgres' system user.
  const [file, argv] =
    isRoot && cmd.startsWith('/') ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

function keyValues(out: string): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([\w.]+)=(.*)$/.exec(line);
    if (m) kv[m[1]!] = m[2]!;
  }
  return kv;
}

const bin = run('bash', ['-c', 'source scripts/lib.sh && pg_bin_dir']);
const dir = mkdtempSync(path.join(tmpdir(), 'wintehr-backup-'));
const data = path.join(dir, 'data');
const backupDir = path.join(dir, 'backups');
const port = run('bash', ['-c', 'source scripts/lib.sh && free_port']);
const clusterEnv = { PGHOST: dir, PGPORT: port, PGUSER: 'postgres', BACKUP_DIR: backupDir };
const pgCtl = (...args: string[]) =>
  run(`${bin}/pg_ctl`, ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', ...args]);
const startOptions = ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`];
const psql = (db: string, ...args: string[]) =>
  run(`${bin}/psql`, [
    '-X',
    '-h',
    dir,
    '-p',
    port,
    '-U',
    'postgres',
    '-d',
    db,
    '-v',
    'ON_ERROR_STOP=1',
    '-qAt',
    ...args,
  ]);
const drillCopies = () =>
  readdirSync(process.env.WINTEHR_DATA_DIR ?? path.join(ROOT, '.data')).filter((f) => f.startsWith('restore-drill.'));
const drillCopiesBefore = new Set(drillCopies());
const drill = (...args: string[]) => keyValues(run('bash', ['scripts/restore-drill.sh', ...args], clusterEnv));

const FOUND_RX = "hapi|SELECT count(*) FROM hfj_resource WHERE res_type = 'MedicationRequest' AND fhir_id = 'drill-rx'";
const FOUND_AUDIT = "wintehr|SELECT count(*) FROM audit_log WHERE request_id = 'drill-audit'";

describe('backup and point-in-time restore', () => {
  let betweenWrites = '';

  before(() => {
    assert.ok(bin, 'PostgreSQL is not installed (scripts/infra.sh up installs it)');
    if (isRoot) chownSync(dir, Number(run('id', ['-u', 'postgres'])), Number(run('id', ['-g', 'postgres'])));
    run(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    pgCtl('start', ...startOptions);
    // Archiving as the runbook turns it on: backup.sh configure, then the restart it leaves to the operator.
    run('bash', ['scripts/backup.sh', 'configure'], clusterEnv);
    pgCtl('restart', ...startOptions);
    assert.equal(psql('postgres', '-c', 'SHOW archive_mode'), 'on');

    psql('postgres', '-c', 'CREATE DATABASE hapi', '-c', 'CREATE DATABASE wintehr');
    // HAPI's resource table, reduced to what the drill looks at.
    psql(
      'hapi',
      '-c',
      'CREATE TABLE hfj_resource (res_id bigserial PRIMARY KEY, res_type varchar(40) NOT NULL, fhir_id varchar(64) NOT NULL, res_updated timestamptz NOT NULL DEFAULT now())',
    );
    for (const file of readdirSync(MIGRATIONS)
      .filter((f) => /^\d{3}_.*\.sql$/.test(f))
      .sort()) {
      psql('wintehr', '--single-transaction', '-f', path.join(MIGRATIONS, file));
    }

    run('bash', ['scripts/backup.sh', 'base'], clusterEnv);

    psql('hapi', '-c', "INSERT INTO hfj_resource (res_type, fhir_id) VALUES ('MedicationRequest', 'drill-rx')");
    // The target moment: strictly after the prescription's commit and before the audit record's, on the server clock.
    spawnSync('sleep', ['0.5']);
    betweenWrites = psql(
      'postgres',
      '-c',
      "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00')",
    );
    spawnSync('sleep', ['0.5']);
    const hash = 'a'.repeat(64);
    psql(
      'wintehr',
      '-c',
      `INSERT INTO audit_log (id, occurred_at, action, outcome, request_id, prev_hash, hash)
       VALUES (1, now(), 'MedicationRequest.create', 'success', 'drill-audit', '${'0'.repeat(64)}', '${hash}')`,
    );
    // The segment holding the last writes goes to the archive now, not after archive_timeout.
    const segment = psql('postgres', '-c', 'SELECT pg_walfile_name(pg_current_wal_lsn())');
    psql('postgres', '-c', 'SELECT pg_switch_wal()');
    const deadline = Date.now() + 30_000;
    while (psql('postgres', '-c', "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < segment) {
      assert.ok(Date.now() < deadline, `WAL segment ${segment} was not archived within 30 s`);
      spawnSync('sleep', ['0.2']);
    }
  });

  after(() => {
    spawnSync('bash', ['-c', `${isRoot ? 'runuser -u postgres -- ' : ''}${bin}/pg_ctl -D '${data}' -m immediate stop`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores everything archived: the prescription and the audit record written after the base backup', () => {
    const r = drill('--latest', '--check', FOUND_RX, '--check', FOUND_AUDIT);
    assert.equal(r['check.1'], '1', 'prescription after restore to latest');
    assert.equal(r['check.2'], '1', 'audit record after restore to latest');
    assert.ok(r['base_backup']?.startsWith(path.join(backupDir, 'base')));
    console.log(`restore to latest: RTO ${r['rto_seconds']} s (recovered to ${r['recovered_to']})`);
  });

  it('restores to a point in time: the prescription before it, not the audit record after it', () => {
    const r = drill('--target-time', betweenWrites, '--check', FOUND_RX, '--check', FOUND_AUDIT);
    assert.equal(r['check.1'], '1', 'prescription committed before the target');
    assert.equal(r['check.2'], '0', 'audit record committed after the target');
    console.log(`restore to ${betweenWrites}: RTO ${r['rto_seconds']} s`);
  });

  it('leaves the source cluster and its archive alone: no restored copy archived a timeline of its own', () => {
    assert.equal(psql('hapi', '-c', "SELECT count(*) FROM hfj_resource WHERE fhir_id = 'drill-rx'"), '1');
    const foreign = readdirSync(path.join(backupDir, 'wal')).filter((f) => !f.startsWith('00000001'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(
      drillCopies().filter((f) => !drillCopiesBefore.has(f)),
      [],
      'drill copies removed',
    );
  });

  it('refuses a target before the oldest base backup finished', () => {
    const r = spawnSync('bash', ['scripts/restore-drill.sh', '--target-time', '2000-01-01 00:00:00+00'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...clusterEnv },
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no base backup .* finished before 2000-01-01/);
  });

  it('prune keeps the newest base backup and the WAL it needs, and the latest state still restores', () => {
    run('bash', ['scripts/backup.sh', 'base'], clusterEnv);
    const walBefore = readdirSync(path.join(backupDir, 'wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
    run('bash', ['scripts/backup.sh', 'prune', '1'], clusterEnv);
    const bases = readdirSync(path.join(backupDir, 'base'));
    assert.equal(bases.length, 1);
    const walAfter = readdirSync(path.join(backupDir, 'wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
    assert.ok(walAfter.length < walBefore.length, 'segments older than the kept backup are removed');
    const r = drill('--latest', '--check', FOUND_RX, '--check', FOUND_AUDIT);
    assert.equal(r['base_backup'], path.join(backupDir, 'base', bases[0]!));
    assert.deepEqual([r['check.1'], r['check.2']], ['1', '1']);
  });
});
