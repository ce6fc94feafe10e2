import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The real clearinghouse simulator (services/simulators/src/clearinghouse) as a child process for integration
 * tests, on an ephemeral port, stopped with SIGTERM. Never a mock.
 */
const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(ROOT, 'services/simulators/src/clearinghouse/main.ts');
export const CH_USER = 'wintehr-ehr-test';
export const CH_PASSWORD = 'test-clearinghouse-secret';

export class ClearinghouseProcess {
  private child?: ChildProcess;
  port = 0;
  constructor(private readonly timeoutFaultMs: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        CLEARINGHOUSE_PORT: '0',
        CLEARINGHOUSE_HOST: '127.0.0.1',
        SIMULATOR_ANNOUNCE_PORT: '1',
        LOG_LEVEL: 'silent',
        CLEARINGHOUSE_USER: CH_USER,
        CLEARINGHOUSE_PASSWORD: CH_PASSWORD,
        CLEARINGHOUSE_TIMEOUT_FAULT_MS: String(this.timeoutFaultMs),
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
      const timer = setTimeout(() => reject(new Error(`clearinghouse did not start: ${err.slice(-500)}`)), 20_000);
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
        reject(new Error(`clearinghouse exited (${code}): ${err.slice(-500)}`));
      });
    }).catch((e: Error) => {
      child.kill('SIGKILL');
      this.child = undefined;
      throw e;
    });
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
}
