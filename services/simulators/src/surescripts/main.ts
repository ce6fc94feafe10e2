import pino from 'pino';
import { createSimulatorApp } from './app';
import { loadSimulatorConfig } from './config';

/** Entry point: `node dist/surescripts/main.js` (scripts/simulators.sh) or `tsx src/surescripts/main.ts`. */
function main() {
  let config;
  try {
    config = loadSimulatorConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { service: 'surescripts-simulator' } });
  const { app } = createSimulatorApp(config, logger);
  const server = app.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    logger.info({ port }, 'surescripts simulator listening');
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

main();
