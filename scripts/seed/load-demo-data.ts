/**
 * Loads seeded, reproducible demo data into a FHIR R4 server (HAPI FHIR JPA) with transaction bundles.
 *
 *   node --import tsx scripts/seed/load-demo-data.ts [--patients N] [--seed S] [--fhir URL]
 *        [--concurrency C] [--anchor YYYY-MM-DD] [--start I] [--wait SECONDS]
 *        [--skip-existing] [--dry-run] [--quiet]
 *
 * 1. GET {fhir}/metadata (exit 2 with a clear message if unreachable).
 * 2. POST the directory bundle (organization, location, staff, pharmacies, payers) and read the
 *    server ids of those resources from the transaction response.
 * 3. Generate and POST one transaction bundle per patient, `concurrency` at a time. Bundles are
 *    generated on demand and dropped after posting, so memory stays flat for 10,000+ patients.
 *
 * Every entry is a conditional create on a `urn:wintehr:demo` identifier: running the loader again
 * creates nothing new (existing resources are reported as "existing"). Network errors, 5xx, 409 and
 * 429 responses are retried with exponential backoff — safe because the bundles are idempotent.
 */

import { parseArgs } from 'node:util';
import {
  DEFAULT_SEED,
  countByType,
  directoryRefsFromBundle,
  directoryRefsFromResponse,
  generateDirectory,
  generatePatient,
  patientDemoIdentifier,
  type DirectoryRefs,
} from './generate';
import { SYS } from './catalog';
import { validateTransactionBundle } from './validate';
import { generateDailyAppointments } from './daily-appointments';
import { payerIdUpdates, payerSearch } from './payer-ids';
import { loadDemoImaging } from './imaging-demo';

interface Options {
  patients: number;
  seed: number;
  fhir: string;
  concurrency: number;
  anchor: string;
  start: number;
  waitSeconds: number;
  skipExisting: boolean;
  dryRun: boolean;
  quiet: boolean;
  timeoutMs: number;
  retries: number;
  clinicDayOnly: boolean;
}

const USAGE = `Usage: node --import tsx scripts/seed/load-demo-data.ts [options]

  --patients N       number of patients to load (default 100; patients 0 and 1 are the fixed demo
                     patients Maria Garcia and John Smith)
  --seed S           integer seed (default ${DEFAULT_SEED}); same seed + index => same patient
  --fhir URL         FHIR base URL (default $FHIR_BASE_URL or http://127.0.0.1:8080/fhir)
  --concurrency C    parallel transaction bundles (default 4)
  --anchor DATE      "today" for the generated timeline, YYYY-MM-DD (default: current UTC date)
  --start I          first patient index (default 0), e.g. to extend an existing load
  --wait SECONDS     wait up to SECONDS for the server to answer /metadata (default 0)
  --skip-existing    before posting a patient, GET Patient?identifier=... and skip it if present
                     (faster re-runs; correctness never depends on it)
  --dry-run          generate and validate bundles without a server
  --timeout MS       per-request timeout (default 180000)
  --retries N        attempts per bundle on network/5xx/409/429 errors (default 5)
  --quiet            only print the summary
  --clinic-day-only  load no patients: only Dr. Wilson's appointments of today and tomorrow (of the first
                     N patients) and missing payer ids, e.g. at every start after the first full load
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`load-demo-data: ${message}\n`);
  process.exit(code);
}

function intOption(raw: string | undefined, name: string, def: number, min: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min} (got "${raw}")`, 64);
  return n;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        patients: { type: 'string' },
        seed: { type: 'string' },
        fhir: { type: 'string' },
        concurrency: { type: 'string' },
        anchor: { type: 'string' },
        start: { type: 'string' },
        wait: { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        'skip-existing': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        quiet: { type: 'boolean' },
        'clinic-day-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`, 64);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const anchor = v.anchor ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor) || Number.isNaN(Date.parse(anchor)))
    fail(`--anchor must be YYYY-MM-DD (got "${anchor}")`, 64);
  const fhir = (v.fhir ?? process.env.FHIR_BASE_URL ?? 'http://127.0.0.1:8080/fhir').replace(/\/+$/, '');
  return {
    patients: intOption(v.patients, 'patients', 100, 0),
    seed: intOption(v.seed, 'seed', DEFAULT_SEED, 0),
    fhir,
    concurrency: intOption(v.concurrency, 'concurrency', 4, 1),
    anchor,
    start: intOption(v.start, 'start', 0, 0),
    waitSeconds: intOption(v.wait, 'wait', 0, 0),
    skipExisting: v['skip-existing'] ?? false,
    dryRun: v['dry-run'] ?? false,
    quiet: v.quiet ?? false,
    timeoutMs: intOption(v.timeout, 'timeout', 180_000, 1000),
    retries: intOption(v.retries, 'retries', 5, 1),
    clinicDayOnly: v['clinic-day-only'] ?? false,
  };
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${summarizeBody(body)}`);
  }
}

function summarizeBody(body: string): string {
  try {
    const oo = JSON.parse(body) as fhir4.OperationOutcome;
    if (oo.resourceType === 'OperationOutcome') {
      return (oo.issue ?? [])
        .map((i) => `${i.severity}: ${i.diagnostics ?? i.details?.text ?? i.code}`)
        .join('; ')
        .slice(0, 600);
    }
  } catch {
    /* not JSON */
  }
  return body.slice(0, 300);
}

function headers(): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/fhir+json' };
  if (process.env.FHIR_AUTHORIZATION) h.Authorization = process.env.FHIR_AUTHORIZATION;
  return h;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof HttpError)
    return err.status >= 500 || err.status === 409 || err.status === 429 || err.status === 408;
  return true; // network errors, timeouts, connection resets
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function withRetries<T>(
  what: string,
  attempts: number,
  fn: () => Promise<T>,
  log: (s: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      const delay = Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
      log(`  retry ${attempt}/${attempts - 1} for ${what} in ${Math.round(delay)} ms: ${(err as Error).message}`);
      await sleep(delay);
    }
  }
}

async function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  const res = await fetch(url, { headers: headers(), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, text);
  return JSON.parse(text) as T;
}

async function postTransaction(base: string, bundle: fhir4.Bundle, timeoutMs: number): Promise<fhir4.Bundle> {
  const res = await fetch(base, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/fhir+json', Prefer: 'return=minimal' },
    body: JSON.stringify(bundle),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, text);
  const out = JSON.parse(text) as fhir4.Bundle;
  if (out.resourceType !== 'Bundle') throw new HttpError(502, `unexpected response ${text.slice(0, 200)}`);
  return out;
}

function tally(response: fhir4.Bundle): { created: number; existing: number } {
  let created = 0;
  let existing = 0;
  for (const e of response.entry ?? []) {
    const status = e.response?.status ?? '';
    if (status.startsWith('201')) created++;
    else if (status.startsWith('200')) existing++;
  }
  return { created, existing };
}

function describeNetworkError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'request timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

async function checkServer(opts: Options, log: (s: string) => void): Promise<fhir4.CapabilityStatement> {
  const deadline = Date.now() + opts.waitSeconds * 1000;
  let lastError = '';
  for (;;) {
    try {
      const cs = await getJson<fhir4.CapabilityStatement>(`${opts.fhir}/metadata`, 15_000);
      if (cs.resourceType !== 'CapabilityStatement')
        throw new Error(`GET /metadata did not return a CapabilityStatement`);
      if (cs.fhirVersion && !cs.fhirVersion.startsWith('4.0'))
        throw new Error(`server is FHIR ${cs.fhirVersion}, expected 4.0.x (R4)`);
      return cs;
    } catch (err) {
      lastError = err instanceof HttpError ? err.message : describeNetworkError(err);
      if (Date.now() >= deadline) break;
      log(`  waiting for ${opts.fhir}/metadata (${lastError}) ...`);
      await sleep(3000);
    }
  }
  fail(
    `FHIR server is not reachable at ${opts.fhir} (${lastError}).\n` +
      `Start HAPI FHIR first, or pass --fhir <base URL> / set FHIR_BASE_URL, or use --wait <seconds>, or --dry-run.`,
    2,
  );
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const log = (s: string) => {
    if (!opts.quiet) process.stdout.write(`${s}\n`);
  };
  const end = opts.start + opts.patients;
  const t0 = performance.now();

  log(
    `WintEHR demo data: patients ${opts.start}..${end - 1} (${opts.patients}), seed ${opts.seed}, anchor ${opts.anchor}, ` +
      (opts.dryRun ? 'dry run (no server)' : `server ${opts.fhir}, concurrency ${opts.concurrency}`),
  );

  const directory = generateDirectory(opts.seed);
  let refs: DirectoryRefs;
  let resources = 0;
  let created = 0;
  let existing = 0;

  if (opts.dryRun) {
    refs = directoryRefsFromBundle(directory);
    const problems = validateTransactionBundle(directory);
    if (problems.length) fail(`directory bundle invalid:\n  ${problems.slice(0, 20).join('\n  ')}`);
    resources += directory.entry?.length ?? 0;
  } else {
    const cs = await checkServer(opts, log);
    log(`server: ${cs.software?.name ?? 'FHIR server'} ${cs.software?.version ?? ''} (FHIR ${cs.fhirVersion ?? '?'})`);
    const response = await withRetries(
      'directory',
      opts.retries,
      () => postTransaction(opts.fhir, directory, opts.timeoutMs),
      log,
    );
    refs = directoryRefsFromResponse(directory, response);
    const t = tally(response);
    resources += directory.entry?.length ?? 0;
    created += t.created;
    existing += t.existing;
    log(
      `directory: ${directory.entry?.length ?? 0} resources (${t.created} created, ${t.existing} existing) ${JSON.stringify(countByType(directory))}`,
    );
  }

  let next = opts.start;
  let done = 0;
  let skipped = 0;
  const failures: string[] = [];
  let aborted = false;
  let lastProgress = performance.now();
  const byType: Record<string, number> = {};

  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastProgress < 5000) return;
    lastProgress = now;
    const secs = (now - t0) / 1000;
    const pct = opts.patients ? ((100 * done) / opts.patients).toFixed(1) : '100.0';
    log(
      `  patients ${done}/${opts.patients} (${pct}%), resources ${resources} (created ${created}, existing ${existing}), ` +
        `${(resources / secs).toFixed(0)} res/s, ${secs.toFixed(1)} s` +
        (skipped ? `, skipped ${skipped}` : '') +
        (failures.length ? `, FAILED ${failures.length}` : ''),
    );
  };

  const worker = async () => {
    while (!aborted) {
      const index = next++;
      if (index >= end) return;
      try {
        if (opts.skipExisting && !opts.dryRun) {
          const ident = encodeURIComponent(`${SYS.DEMO}|${patientDemoIdentifier(opts.seed, index)}`);
          const found = await withRetries(
            `lookup ${index}`,
            opts.retries,
            () => getJson<fhir4.Bundle>(`${opts.fhir}/Patient?identifier=${ident}&_summary=count`, opts.timeoutMs),
            log,
          );
          if ((found.total ?? 0) > 0) {
            skipped++;
            done++;
            progress();
            continue;
          }
        }
        const bundle = generatePatient(opts.seed, index, refs, { anchor: opts.anchor });
        const n = bundle.entry?.length ?? 0;
        for (const [k, c] of Object.entries(countByType(bundle))) byType[k] = (byType[k] ?? 0) + c;
        if (opts.dryRun) {
          const problems = validateTransactionBundle(bundle, Object.values(refs));
          if (problems.length) throw new Error(`invalid bundle: ${problems.slice(0, 5).join('; ')}`);
        } else {
          const response = await withRetries(
            `patient ${index}`,
            opts.retries,
            () => postTransaction(opts.fhir, bundle, opts.timeoutMs),
            log,
          );
          const t = tally(response);
          created += t.created;
          existing += t.existing;
        }
        resources += n;
      } catch (err) {
        const msg = `patient ${index}: ${err instanceof HttpError ? err.message : describeNetworkError(err)}`;
        failures.push(msg);
        process.stderr.write(`  ERROR ${msg}\n`);
        if (failures.length >= 10) {
          aborted = true;
          process.stderr.write('  too many failures, stopping\n');
        }
      }
      done++;
      progress();
    }
  };

  const workers = opts.clinicDayOnly ? 0 : Math.min(opts.concurrency, Math.max(1, opts.patients));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  progress(true);

  // Today's and tomorrow's clinic day for Dr. Wilson, and payer ids for payers loaded before they had them.
  const daily = generateDailyAppointments(opts.seed, refs, { anchor: opts.anchor, patientCount: end });
  if (!opts.dryRun && !aborted) {
    try {
      const t = tally(
        await withRetries(
          'daily appointments',
          opts.retries,
          () => postTransaction(opts.fhir, daily, opts.timeoutMs),
          log,
        ),
      );
      created += t.created;
      existing += t.existing;
      resources += daily.entry?.length ?? 0;
      const payers = await getJson<fhir4.Bundle>(`${opts.fhir}/${payerSearch()}`, opts.timeoutMs);
      const updates = payerIdUpdates((payers.entry ?? []).map((e) => e.resource as fhir4.Organization));
      if (updates.entry?.length) await postTransaction(opts.fhir, updates, opts.timeoutMs);
      log(
        `clinic day: ${daily.entry?.length ?? 0} appointments (${t.created} created); payer ids added: ${updates.entry?.length ?? 0}`,
      );
    } catch (err) {
      // Not a patient failure (the summary counts those); the exit code still says something went wrong.
      process.stderr.write(
        `  ERROR daily appointments: ${err instanceof HttpError ? err.message : describeNetworkError(err)}\n`,
      );
      process.exitCode = 1;
    }
  }

  const secs = (performance.now() - t0) / 1000;
  const summary = {
    patients: done - failures.length - skipped,
    skipped,
    failed: failures.length,
    resources,
    created: opts.dryRun ? undefined : created,
    existing: opts.dryRun ? undefined : existing,
    seconds: Number(secs.toFixed(2)),
    resourcesPerSecond: Number((resources / secs).toFixed(1)),
    seed: opts.seed,
    anchor: opts.anchor,
    server: opts.dryRun ? '(dry run)' : opts.fhir,
  };
  process.stdout.write(
    `\nDone: ${summary.patients} patients, ${resources} resources in ${summary.seconds} s (${summary.resourcesPerSecond} resources/s)` +
      (opts.dryRun ? ', dry run: all bundles valid' : `; ${created} created, ${existing} already existed`) +
      (skipped ? `; ${skipped} patients skipped (already loaded)` : '') +
      (failures.length ? `; ${failures.length} FAILED` : '') +
      `\nResources by type (patient bundles): ${JSON.stringify(byType)}\n` +
      `SUMMARY ${JSON.stringify(summary)}\n`,
  );
  if (failures.length) process.exit(1);
  // Synthetic CT and chest X-ray studies for the fixed demo patients, through the imaging module's upload code.
  if (!opts.dryRun && !aborted && opts.start === 0) await loadDemoImaging(opts.fhir);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
