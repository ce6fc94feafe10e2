import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The real Surescripts simulator (services/simulators) as a child process for integration tests: started with tsx
 * on an ephemeral port (or a given one, to restart it where it was), stopped with SIGTERM. Never a mock.
 */
const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(ROOT, 'services/simulators/src/surescripts/main.ts');
export const SIM_USER = 'wintehr-ehr-test';
export const SIM_PASSWORD = 'test-surescripts-secret';
export const INBOUND_USER = 'surescripts-network-test';
export const INBOUND_PASSWORD = 'test-inbound-secret';

export class SimulatorProcess {
  private child?: ChildProcess;
  port = 0;
  constructor(private readonly ehrInboundUrl: () => string) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the process unless it is already running (never two children: a replaced one would leak). */
  async start(port = this.port): Promise<number> {
    if (this.running) return this.port;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        SIMULATOR_PORT: String(port),
        SIMULATOR_HOST: '127.0.0.1',
        SIMULATOR_ANNOUNCE_PORT: '1',
        LOG_LEVEL: 'silent',
        SURESCRIPTS_USER: SIM_USER,
        SURESCRIPTS_PASSWORD: SIM_PASSWORD,
        EHR_INBOUND_URL: this.ehrInboundUrl(),
        ERX_INBOUND_USER: INBOUND_USER,
        ERX_INBOUND_PASSWORD: INBOUND_PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Never outlive the test process (jest --forceExit skips afterAll on a hang).
    const reap = () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    this.port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`simulator did not start: ${err.slice(-500)}`)), 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /SIMULATOR_PORT=(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`simulator exited (${code}): ${err.slice(-500)}`));
      });
    }).catch((e: Error) => {
      child.kill('SIGKILL');
      this.child = undefined;
      throw e;
    });
    return this.port;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => {
        c.kill('SIGKILL');
      }, 4000).unref();
    });
    this.child = undefined;
  }

  private headers() {
    return {
      authorization: `Basic ${Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString('base64')}`,
      'content-type': 'application/json',
    };
  }
  async admin<T = unknown>(p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const r = await fetch(`${this.url}${p}`, {
      method: body ? 'POST' : 'GET',
      headers: this.headers(),
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
  async stats(messageId: string) {
    return (
      await this.admin<{ accepted: number; deliveries: number; type?: string }>(`/admin/stats?messageId=${messageId}`)
    ).body;
  }
  fault(mode: 'timeout' | 'http500' | 'duplicate' | 'slow', count = 1, delayMs?: number) {
    return this.admin('/admin/faults', { mode, count, delayMs });
  }
  async clearFaults() {
    await fetch(`${this.url}/admin/faults`, { method: 'DELETE', headers: this.headers() });
  }
}
