import type { ChartPanels } from './features/patient/ChartTabs';
import { NotesTab } from './features/documentation/NotesTab';
import { MedicationsTab } from './features/medications/MedicationsTab';
import { OrdersTab } from './features/orders/OrdersTab';
import { ResultsTab } from './features/results/ResultsTab';
import { SmartAppsTab } from './features/smart/SmartAppsTab';

/** The chart's tabs that other features own: the app composes them into the patient feature's chart. */
export const CHART_PANELS: ChartPanels = {
  medications: (patientId) => <MedicationsTab patientId={patientId} />,
  results: (patientId) => <ResultsTab patientId={patientId} />,
  notes: (patientId) => <NotesTab patientId={patientId} />,
  orders: (patientId) => <OrdersTab patientId={patientId} />,
  apps: (patientId) => <SmartAppsTab patientId={patientId} />,
};
