import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * A simulator from services/simulators as a child process for integration tests: started with tsx, the port read
 * from its `SIMULATOR_PORT=` announcement, killed with the test process if it hangs, stopped with SIGTERM. The
 * simulators themselves, never mocks.
 */
const ROOT = path.resolve(__dirname, '../../../..');

export async function startSimulatorChild(
  label: string,
  main: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, main)], {
    cwd: ROOT,
    env: { ...process.env, SIMULATOR_ANNOUNCE_PORT: '1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process (jest --forceExit skips afterAll on a hang).
  const reap = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`${label} did not start: ${err.slice(-500)}`)), 20_000);
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
        reject(new Error(`${label} exited (${code}): ${err.slice(-500)}`));
      });
    });
    return { child, port };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** SIGTERM, then SIGKILL after 4 s; resolves when the child has exited. */
export async function stopSimulatorChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      child.kill('SIGKILL');
    }, 4000).unref();
  });
}
