import { serveSimulator } from '../serve';
import { createSimulatorApp } from './app';
import { loadSimulatorConfig } from './config';

/** Entry point: `node dist/surescripts/main.js` (scripts/simulators.sh) or `tsx src/surescripts/main.ts`. */
serveSimulator('surescripts', () => loadSimulatorConfig(), createSimulatorApp);
