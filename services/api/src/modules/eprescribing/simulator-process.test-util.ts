import type { ChildProcess } from 'node:child_process';
import { startSimulatorChild, stopSimulatorChild } from '../../test-support/simulator-child';

/**
 * The real Surescripts simulator (services/simulators) as a child process for integration tests: started with tsx
 * on an ephemeral port (or a given one, to restart it where it was), stopped with SIGTERM. Never a mock.
 */
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
    const { child, port: chosen } = await startSimulatorChild(
      'simulator',
      'services/simulators/src/surescripts/main.ts',
      {
        SIMULATOR_PORT: String(port),
        SIMULATOR_HOST: '127.0.0.1',
        SURESCRIPTS_USER: SIM_USER,
        SURESCRIPTS_PASSWORD: SIM_PASSWORD,
        EHR_INBOUND_URL: this.ehrInboundUrl(),
        ERX_INBOUND_USER: INBOUND_USER,
        ERX_INBOUND_PASSWORD: INBOUND_PASSWORD,
      },
    );
    this.child = child;
    this.port = chosen;
    return this.port;
  }

  async stop(): Promise<void> {
    await stopSimulatorChild(this.child);
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
