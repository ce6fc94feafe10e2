import type { AccessRule } from './access';

/**
 * Who may open each area of the app: one table read by the routes (App.tsx) and the navigation (nav.ts), so
 * a link is shown exactly when its page would open. Patient search and charts are staff work: a portal
 * patient holds patient:read for its own record, but never gets the clinician chart.
 */
export const ROUTE_ACCESS = {
  home: {},
  accountSecurity: {},
  patients: { permissions: ['patient:read'], staffOnly: true },
  chart: { permissions: ['patient:read'], staffOnly: true },
  users: { permissions: ['user:manage'] },
  audit: { permissions: ['audit:view'] },
  breakGlassReview: { permissions: ['break-glass:review'] },
  smartClients: { anyPermission: ['system:config', 'user:manage'] },
  // The pharmacy pages are a pharmacist's workplace (their pharmacy's queue and stock).
  pharmacy: { permissions: ['medication:dispense'], roles: ['pharmacist'] },
  // The reading worklist: studies across patients waiting for a report, for those who write reports.
  imagingWorklist: { permissions: ['imaging:report'], staffOnly: true },
  // Work addressed to a clinician or the nursing pool (renewals, returns, results, messages).
  inbasket: { permissions: ['patient:read'], roles: ['physician', 'nurse'] },
  // A clinician's own day (their Practitioner's appointments): the API serves it to those who see patients.
  schedule: { permissions: ['patient:write'], staffOnly: true },
  // The patient portal: a patient's own record; staff have the chart instead.
  portal: { permissions: ['patient:read'], roles: ['patient'] },
} as const satisfies Record<string, AccessRule>;
