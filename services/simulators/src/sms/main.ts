import { serveSimulator } from '../serve';
import { createSmsApp } from './app';
import { loadSmsConfig } from './config';

/** Entry point: `node dist/sms/main.js` (scripts/simulators.sh) or `tsx src/sms/main.ts`. */
serveSimulator('sms', () => loadSmsConfig(), createSmsApp);
