-- Critical results reach the chart by more than one road (the results API, the FHIR gate, bulk loads): the alert row
-- no longer needs an order, may stand for a lone Observation, and remembers whether it should escalate (an old result
-- found by the sweep is listed as overdue, not escalated to a covering physician years later).
ALTER TABLE critical_result_alerts ALTER COLUMN service_request_id DROP NOT NULL;
ALTER TABLE critical_result_alerts ADD COLUMN focus_type text NOT NULL DEFAULT 'DiagnosticReport'
  CHECK (focus_type IN ('DiagnosticReport', 'Observation'));
ALTER TABLE critical_result_alerts ADD COLUMN source text NOT NULL DEFAULT 'ingest' CHECK (source IN ('ingest', 'sweep'));
ALTER TABLE critical_result_alerts ADD COLUMN escalate boolean NOT NULL DEFAULT true;

-- Where the incremental sweep of HAPI got to (one row).
CREATE TABLE critical_result_sweep (
  id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  swept_to    timestamptz NOT NULL,
  full_at     timestamptz
);
