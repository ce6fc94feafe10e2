import type { ChartPanels, SummaryCards } from './features/patient/ChartTabs';
import { NotesTab } from './features/documentation/NotesTab';
import { AllergiesTab } from './features/chart/AllergiesTab';
import { ImmunizationsTab } from './features/chart/ImmunizationsTab';
import { MarTab } from './features/chart/MarTab';
import { ProblemsTab } from './features/chart/ProblemsTab';
import { SocialHistoryTab } from './features/chart/SocialHistoryTab';
import { VitalsTab } from './features/chart/VitalsTab';
import { MedicationsTab } from './features/medications/MedicationsTab';
import { OrdersTab } from './features/orders/OrdersTab';
import { ResultsTab } from './features/results/ResultsTab';
import { RecentLabs } from './features/results/RecentLabs';
import { ImagingTab } from './features/imaging/ImagingTab';
import { SmartAppsTab } from './features/smart/SmartAppsTab';
import { InvitePortalCard } from './features/portal-accounts/InvitePortalCard';
import { ProxyAccessCard } from './features/proxy-access/ProxyAccessCard';

/** The chart's tabs that other features own: the app composes them into the patient feature's chart. */
export const CHART_PANELS: ChartPanels = {
  medications: (patientId, { encounterId }) => <MedicationsTab patientId={patientId} encounterId={encounterId} />,
  results: (patientId) => <ResultsTab patientId={patientId} />,
  notes: (patientId, { encounterId }) => <NotesTab patientId={patientId} encounterId={encounterId} />,
  orders: (patientId, { encounterId }) => <OrdersTab patientId={patientId} encounterId={encounterId} />,
  apps: (patientId) => <SmartAppsTab patientId={patientId} />,
  problems: (patientId) => <ProblemsTab patientId={patientId} />,
  allergies: (patientId) => <AllergiesTab patientId={patientId} />,
  vitals: (patientId) => <VitalsTab patientId={patientId} />,
  immunizations: (patientId) => <ImmunizationsTab patientId={patientId} />,
  social: (patientId) => <SocialHistoryTab patientId={patientId} />,
  mar: (patientId) => <MarTab patientId={patientId} />,
  imaging: (patientId) => <ImagingTab patientId={patientId} />,
};

/** Cards other features add to the chart's Summary tab. */
export const SUMMARY_CARDS: SummaryCards = [
  { id: 'recent-labs', title: 'Recent labs', render: (patientId) => <RecentLabs patientId={patientId} /> },
  { id: 'portal-account', title: 'Patient portal', render: (patientId) => <InvitePortalCard patientId={patientId} /> },
  { id: 'proxy-access', title: 'Proxy access', render: (patientId) => <ProxyAccessCard patientId={patientId} /> },
];
