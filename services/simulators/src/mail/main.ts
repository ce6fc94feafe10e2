import { serveSimulator } from '../serve';
import { createMailApp } from './app';
import { loadMailConfig } from './config';

/**
 * Entry point: `node dist/mail/main.js` (scripts/simulators.sh) or `tsx src/mail/main.ts`. The SMTP listener
 * starts first; its port is announced (SMTP_PORT=) before the HTTP port and also given by GET /health.
 */
serveSimulator(
  'mail',
  () => loadMailConfig(),
  (config, logger) => {
    const sim = createMailApp(config, logger);
    sim.smtp.on('error', (err) => logger.error({ err: { message: err.message } }, 'smtp error'));
    sim.smtp.listen(config.smtpPort, config.host, () => {
      if (process.env.SIMULATOR_ANNOUNCE_PORT === '1') process.stdout.write(`SMTP_PORT=${sim.smtpPort()}\n`);
    });
    process.once('SIGTERM', () => sim.smtp.close());
    return sim;
  },
);
