/**
 * The harness stops exactly what it started (issues #12, #20): a stack that was already up — this checkout's own
 * after `npm start`, or another checkout's PostgreSQL and Redis on the same ports — survives a run's clean-up, and a
 * service the run did start is stopped by it. Services of the run are throw-away ones on free ports in a temporary
 * data directory, so nothing here can stop the shared ones unless the logic under test is wrong.
 * Run: node --import tsx --test scripts/tests/*.spec.ts   (npm test runs it once PostgreSQL, Redis and HAPI are up)
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PG_PORT = process.env.WINTEHR_PG_PORT ?? '5432';
const REDIS_PORT = process.env.WINTEHR_REDIS_PORT ?? '6379';
const HAPI_PORT = process.env.HAPI_PORT ?? '8080';

interface Run {
  code: number | null;
  out: Record<string, string>;
  log: string;
}

/**
 * Runs `body` as a harness does (scripts/test.sh): owns a new ledger, and releases it at exit. Lines `key=value` on
 * stdout are the body's observations; `ledger=` is added with what the ledger held just before the clean-up.
 */
function harness(body: string, env: Record<string, string> = {}): Run {
  const script = `source scripts/lib.sh
open_ledger
trap 'echo "ledger=$(cut -f1,2 "$WINTEHR_STARTED_LEDGER" | paste -sd, -)"; release_started' EXIT
${body}`;
  // WINTEHR_STARTED_LEDGER cleared: under npm test this process inherits the outer run's, which must stay untouched.
  const r = spawnSync('bash', ['-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, WINTEHR_STARTED_LEDGER: '', WINTEHR_KEEP_STACK: '0', ...env },
  });
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return { code: r.status, out, log: `${r.stdout}\n${r.stderr}` };
}

function sh(command: string, env: Record<string, string> = {}): string {
  return spawnSync('bash', ['-c', command], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  }).stdout.trim();
}

/** The running server's own pid: a stop and restart between two reads shows as a different pid. */
const redisPid = (port: string) =>
  sh(`redis-cli -h 127.0.0.1 -p ${port} info server 2>/dev/null | sed -n 's/^process_id:\\([0-9]*\\).*/\\1/p'`);
const pgStartedAt = () =>
  sh(`source scripts/lib.sh; psql_app wintehr wintehr_test -c 'SELECT pg_postmaster_start_time()' 2>/dev/null`);
const pgReady = (port: string) =>
  sh(`source scripts/lib.sh; "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p ${port} && echo up`) === 'up';
const hapiUp = () =>
  sh(`curl -fs -o /dev/null --max-time 10 http://127.0.0.1:${HAPI_PORT}/fhir/metadata && echo up`) === 'up';

async function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(String(port)));
      })
      .on('error', reject);
  });
}

/** A data directory of a throw-away checkout; PostgreSQL runs as the postgres user and must reach into it. */
const scratch: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'wintehr-harness-'));
  chmodSync(d, 0o755);
  scratch.push(d);
  return d;
}

after(() => {
  // Safety net should a test fail half-way: stop only the throw-away services, by their own pid files / data dirs.
  for (const d of scratch) {
    // KILL: its data is thrown away, and a TERM'd Redis whose directory is gone refuses to shut down (failed save).
    if (existsSync(path.join(d, 'run/redis.pid'))) sh(`kill -KILL "$(cat '${d}/run/redis.pid')" 2>/dev/null || true`);
    if (existsSync(path.join(d, 'postgres/postmaster.pid')))
      sh(`bash scripts/infra.sh down postgres`, { WINTEHR_DATA_DIR: d });
    rmSync(d, { recursive: true, force: true });
  }
});

describe('a stack that was already up is left running', () => {
  const shared = pgReady(PG_PORT) && redisPid(REDIS_PORT) !== '' && hapiUp();
  const skip = shared ? false : 'PostgreSQL, Redis and HAPI are not all up on their default ports';

  it(
    "this checkout's own PostgreSQL, Redis and HAPI (as after npm start): nothing recorded, nothing restarted",
    { skip },
    () => {
      const before = { redis: redisPid(REDIS_PORT), pg: pgStartedAt() };
      const run = harness('bash scripts/infra.sh up >&2 && bash scripts/hapi.sh start >&2');
      assert.equal(run.code, 0, run.log);
      assert.equal(run.out.ledger, '', `the run recorded nothing as its own\n${run.log}`);
      assert.ok(pgReady(PG_PORT) && hapiUp(), 'PostgreSQL and HAPI still answer');
      assert.deepEqual(
        { redis: redisPid(REDIS_PORT), pg: pgStartedAt() },
        before,
        'the same Redis and PostgreSQL processes',
      );
    },
  );

  it("another checkout's PostgreSQL and Redis on the ports: used as they are, never stopped", { skip }, () => {
    const before = { redis: redisPid(REDIS_PORT), pg: pgStartedAt() };
    const run = harness('bash scripts/infra.sh up >&2', { WINTEHR_DATA_DIR: dataDir() });
    assert.equal(run.code, 0, run.log);
    assert.match(run.log, /PostgreSQL of another WintEHR checkout/);
    assert.equal(run.out.ledger, '', run.log);
    assert.deepEqual({ redis: redisPid(REDIS_PORT), pg: pgStartedAt() }, before);
  });
});

describe('what the run started, its clean-up stops', () => {
  it('a Redis it started: recorded, stopped at exit; `infra.sh down` of another checkout leaves it alone', async () => {
    const port = await freePort();
    const mine = dataDir();
    const other = dataDir();
    const sharedBefore = redisPid(REDIS_PORT);
    const run = harness(
      `bash scripts/infra.sh up redis >&2
echo "during=$(redis-cli -p ${port} ping)"
WINTEHR_DATA_DIR='${other}' bash scripts/infra.sh down redis >&2
echo "afterOthersDown=$(redis-cli -p ${port} ping)"`,
      { WINTEHR_DATA_DIR: mine, WINTEHR_REDIS_PORT: port },
    );
    assert.equal(run.code, 0, run.log);
    assert.equal(run.out.during, 'PONG', run.log);
    assert.equal(run.out.afterOthersDown, 'PONG', `another checkout's down must not stop this Redis\n${run.log}`);
    assert.equal(run.out.ledger, 'pidfile\tRedis', run.log);
    assert.equal(redisPid(port), '', 'the throw-away Redis is stopped');
    assert.equal(redisPid(REDIS_PORT), sharedBefore, 'the shared Redis is untouched');
  });

  it("a nested script (e2e.sh under npm test) records into the outer run's ledger and leaves the stopping to it", async () => {
    const port = await freePort();
    const run = harness(
      `bash -c 'source scripts/lib.sh; open_ledger || true; trap release_started EXIT; bash scripts/infra.sh up redis' >&2
echo "afterNested=$(redis-cli -p ${port} ping)"`,
      { WINTEHR_DATA_DIR: dataDir(), WINTEHR_REDIS_PORT: port },
    );
    assert.equal(run.code, 0, run.log);
    assert.equal(run.out.afterNested, 'PONG', run.log);
    assert.equal(run.out.ledger, 'pidfile\tRedis', run.log);
    assert.equal(redisPid(port), '', 'stopped by the outer run');
  });

  it('a PostgreSQL cluster it initialised and started: recorded, stopped at exit', async () => {
    const port = await freePort();
    const dir = dataDir();
    const sharedBefore = pgStartedAt();
    const run = harness(
      `bash scripts/infra.sh up postgres >&2
echo "during=$("$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p ${port} && echo up)"`,
      { WINTEHR_DATA_DIR: dir, WINTEHR_PG_PORT: port, WINTEHR_PG_FSYNC: 'off' },
    );
    assert.equal(run.code, 0, run.log);
    assert.equal(run.out.during, 'up', run.log);
    assert.equal(run.out.ledger, 'postgres\tPostgreSQL', run.log);
    assert.equal(pgReady(port), false, 'the throw-away PostgreSQL is stopped');
    assert.ok(!existsSync(path.join(dir, 'postgres/postmaster.pid')));
    assert.equal(pgStartedAt(), sharedBefore, 'the shared PostgreSQL is untouched');
  });

  it('a ledger entry whose pid file names another process now (restarted by someone else) is left running', () => {
    const dir = dataDir();
    const pidfile = path.join(dir, 'svc.pid');
    // `sleep` stands for a service someone restarted: the pid file names it, the ledger names the pid we started.
    const run = harness(`sleep 30 >/dev/null 2>&1 & echo $! >'${pidfile}'
record_started pidfile svc '${pidfile}' 1
echo "sleeper=$(cat '${pidfile}')"`);
    assert.equal(run.code, 0, run.log);
    const pid = Number(run.out.sleeper);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    assert.ok(alive, `pid ${pid} must still run\n${run.log}`);
    process.kill(pid);
    assert.equal(readFileSync(pidfile, 'utf8').trim(), String(pid));
  });
});
