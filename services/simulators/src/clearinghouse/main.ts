import { serveSimulator } from '../serve';
import { createClearinghouseApp } from './app';
import { loadClearinghouseConfig } from './config';

/** Entry point: `node dist/clearinghouse/main.js` (scripts/simulators.sh) or `tsx src/clearinghouse/main.ts`. */
serveSimulator('clearinghouse', () => loadClearinghouseConfig(), createClearinghouseApp);
