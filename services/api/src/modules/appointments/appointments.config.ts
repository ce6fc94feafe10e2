import type { AppConfig } from '../../core/config';

/** The portal booking settings (validated with the rest of the configuration at start-up, core/config.ts). */
export type AppointmentsConfig = AppConfig['appointments'];
