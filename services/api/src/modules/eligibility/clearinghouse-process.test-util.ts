import type { ChildProcess } from 'node:child_process';
import { startSimulatorChild, stopSimulatorChild } from '../../test-support/simulator-child';

/**
 * The real clearinghouse simulator (services/simulators/src/clearinghouse) as a child process for integration
 * tests, on an ephemeral port, stopped with SIGTERM. Never a mock.
 */
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
    const { child, port } = await startSimulatorChild(
      'clearinghouse',
      'services/simulators/src/clearinghouse/main.ts',
      {
        CLEARINGHOUSE_PORT: '0',
        CLEARINGHOUSE_HOST: '127.0.0.1',
        CLEARINGHOUSE_USER: CH_USER,
        CLEARINGHOUSE_PASSWORD: CH_PASSWORD,
        CLEARINGHOUSE_TIMEOUT_FAULT_MS: String(this.timeoutFaultMs),
      },
    );
    this.child = child;
    this.port = port;
  }

  async stop(): Promise<void> {
    await stopSimulatorChild(this.child);
    this.child = undefined;
  }
}
