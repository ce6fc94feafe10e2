import type { Express } from 'express';
import pino, { type Logger } from 'pino';

interface ServedConfig {
  host: string;
  port: number;
  logLevel: string;
}

/**
 * The process around a simulator's app, shared by every simulator's main.ts: configuration read once (a bad value
 * exits 2 with the message), listen, announce the port, stop cleanly on SIGTERM/SIGINT.
 */
export function serveSimulator<C extends ServedConfig>(
  name: string,
  loadConfig: () => C,
  createApp: (config: C, logger: Logger) => { app: Express },
): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { service: `${name}-simulator` } });
  const { app } = createApp(config, logger);
  const server = app.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    logger.info({ port }, `${name} simulator listening`);
    // Tests spawn the simulator on port 0 and read the chosen port from this line.
    if (process.env.SIMULATOR_ANNOUNCE_PORT === '1') process.stdout.write(`SIMULATOR_PORT=${port}\n`);
  });
  server.on('error', (err) => {
    logger.fatal({ err: { message: err.message } }, 'cannot listen');
    process.exit(1);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
