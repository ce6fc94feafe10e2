-- Nightly eligibility batch (issue 17): one row per run with its counts, and one row per patient and service date so a
-- re-run checks nobody twice. A check that failed in transport is retried by the next run (outcome 'failed').
CREATE TABLE eligibility_batch_runs (
  id           uuid PRIMARY KEY,
  service_date date NOT NULL,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status       text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  counts       jsonb NOT NULL DEFAULT '{}'::jsonb,
  error        text
);
CREATE INDEX eligibility_batch_runs_started ON eligibility_batch_runs (started_at DESC);

CREATE TABLE eligibility_batch_checks (
  service_date date NOT NULL,
  patient_id   text NOT NULL,
  run_id       uuid NOT NULL REFERENCES eligibility_batch_runs(id),
  outcome      text NOT NULL,
  response_id  text,
  checked_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_date, patient_id)
);
