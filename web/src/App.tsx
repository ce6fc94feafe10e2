import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth } from './core/auth/RequireAuth';
import { ROUTE_ACCESS as A } from './core/auth/route-access';
import { AppLayout } from './core/layout/AppLayout';
import { AuditPage } from './features/admin/AuditPage';
import { BreakGlassReviewPage } from './features/admin/BreakGlassReviewPage';
import { UserDetailPage } from './features/admin/UserDetailPage';
import { UsersPage } from './features/admin/UsersPage';
import { AccountSecurityPage } from './features/auth/AccountSecurityPage';
import { LoginPage } from './features/auth/LoginPage';
import { MfaEnrollPage } from './features/auth/MfaEnrollPage';
import { HomePage } from './features/home/HomePage';
import { InbasketBadge } from './features/inbasket/InbasketBadge';
import { InbasketSummary } from './features/inbasket/InbasketCard';
import { InbasketPage } from './features/inbasket/InbasketPage';
import { mayAccess } from './core/auth/access';
import { CriticalResultsList } from './features/results/CriticalResultsCard';
import { CHART_PANELS, SUMMARY_CARDS } from './chart-panels';
import { ChartPage } from './features/patient/ChartPage';
import { PatientSearchPage } from './features/patient/PatientSearchPage';
import { PortalCoverageCard } from './features/patient/PortalCoverageCard';
import { MyPatientsList } from './features/schedule/MyPatientsList';
import { SchedulePage } from './features/schedule/SchedulePage';
import { CsLogPage } from './features/pharmacy/CsLogPage';
import { InventoryPage } from './features/pharmacy/InventoryPage';
import { PharmacyItemPage } from './features/pharmacy/PharmacyItemPage';
import { PharmacyQueuePage } from './features/pharmacy/PharmacyQueuePage';
import { ImagingWorklistPage } from './features/imaging/ImagingWorklistPage';
import { WorklistSummary } from './features/imaging/WorklistSummary';
import { SmartClientsPage } from './features/smart/SmartClientsPage';
import { AccessLogPage } from './features/portal/AccessLogPage';
import { DownloadPage } from './features/portal/DownloadPage';
import { InsurancePage } from './features/portal/InsurancePage';
import { MessagesPage } from './features/portal/MessagesPage';
import { MyRecordPage } from './features/portal/MyRecordPage';
import { PortalHomeRedirect } from './features/portal/PortalHomeRedirect';
import { ActingForSwitcher } from './features/portal/ActingForSwitcher';
import { ResultsPage as PortalResultsPage } from './features/portal/ResultsPage';
import { BookVisitPage } from './features/appointments/BookVisitPage';
import { MyAppointmentsPage } from './features/appointments/MyAppointmentsPage';
import { ActivatePage } from './features/portal-accounts/ActivatePage';
import { ForgotPasswordPage } from './features/portal-accounts/ForgotPasswordPage';
import { ResetPasswordPage } from './features/portal-accounts/ResetPasswordPage';

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/mfa/enroll" element={<MfaEnrollPage />} />
      <Route path="/portal/activate" element={<ActivatePage />} />
      <Route path="/portal/reset-password" element={<ResetPasswordPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout
              appBarExtras={(u) =>
                mayAccess(u, A.inbasket) ? <InbasketBadge /> : u.role === 'patient' ? <ActingForSwitcher /> : null
              }
            />
          </RequireAuth>
        }
      >
        <Route
          index
          element={
            <PortalHomeRedirect>
              <HomePage
                criticalResults={<CriticalResultsList />}
                inbasket={<InbasketSummary />}
                myPatients={<MyPatientsList />}
                portalCoverage={<PortalCoverageCard />}
                imagingWorklist={<WorklistSummary />}
              />
            </PortalHomeRedirect>
          }
        />
        <Route
          path="schedule"
          element={
            <RequireAuth {...A.schedule}>
              <SchedulePage />
            </RequireAuth>
          }
        />
        <Route
          path="inbasket"
          element={
            <RequireAuth {...A.inbasket}>
              <InbasketPage />
            </RequireAuth>
          }
        />
        <Route path="account/security" element={<AccountSecurityPage />} />
        <Route
          path="portal/security"
          element={
            <RequireAuth {...A.portal}>
              <AccountSecurityPage />
            </RequireAuth>
          }
        />
        <Route
          path="patients"
          element={
            <RequireAuth {...A.patients}>
              <PatientSearchPage />
            </RequireAuth>
          }
        />
        <Route
          path="patients/:patientId/*"
          element={
            <RequireAuth {...A.chart}>
              <ChartPage panels={CHART_PANELS} summaryCards={SUMMARY_CARDS} />
            </RequireAuth>
          }
        />
        <Route
          path="admin/users"
          element={
            <RequireAuth {...A.users}>
              <UsersPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/users/:id"
          element={
            <RequireAuth {...A.users}>
              <UserDetailPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/audit"
          element={
            <RequireAuth {...A.audit}>
              <AuditPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/break-glass"
          element={
            <RequireAuth {...A.breakGlassReview}>
              <BreakGlassReviewPage />
            </RequireAuth>
          }
        />
        <Route
          path="imaging/worklist"
          element={
            <RequireAuth {...A.imagingWorklist}>
              <ImagingWorklistPage />
            </RequireAuth>
          }
        />
        <Route
          path="pharmacy/queue"
          element={
            <RequireAuth {...A.pharmacy}>
              <PharmacyQueuePage />
            </RequireAuth>
          }
        />
        <Route
          path="pharmacy/queue/:medicationRequestId"
          element={
            <RequireAuth {...A.pharmacy}>
              <PharmacyItemPage />
            </RequireAuth>
          }
        />
        <Route
          path="pharmacy/inventory"
          element={
            <RequireAuth {...A.pharmacy}>
              <InventoryPage />
            </RequireAuth>
          }
        />
        <Route
          path="pharmacy/controlled-substances"
          element={
            <RequireAuth {...A.pharmacy}>
              <CsLogPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/smart-clients"
          element={
            <RequireAuth {...A.smartClients}>
              <SmartClientsPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal"
          element={
            <RequireAuth {...A.portal}>
              <MyRecordPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/results"
          element={
            <RequireAuth {...A.portal}>
              <PortalResultsPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/messages"
          element={
            <RequireAuth {...A.portal}>
              <MessagesPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/insurance"
          element={
            <RequireAuth {...A.portal}>
              <InsurancePage coverage={<PortalCoverageCard />} />
            </RequireAuth>
          }
        />
        <Route
          path="portal/access-log"
          element={
            <RequireAuth {...A.portal}>
              <AccessLogPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/download"
          element={
            <RequireAuth {...A.portal}>
              <DownloadPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/appointments"
          element={
            <RequireAuth {...A.portal}>
              <MyAppointmentsPage />
            </RequireAuth>
          }
        />
        <Route
          path="portal/appointments/book"
          element={
            <RequireAuth {...A.portal}>
              <BookVisitPage />
            </RequireAuth>
          }
        />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
