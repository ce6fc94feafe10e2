-- In-house pharmacy: the dispense queue's workflow state, inventory by lot, the dispense ledger and the
-- controlled-substance perpetual log. Clinical facts (MedicationRequest, MedicationDispense) live in HAPI;
-- these tables hold only the pharmacy's own operational state and point at HAPI by id.

-- One row per prescription routed to one of our pharmacies (synced from HAPI and from medications.prescribed).
CREATE TABLE pharmacy_queue_items (
  medication_request_id text PRIMARY KEY,
  pharmacy_org_id       text NOT NULL,
  patient_id            text NOT NULL,
  status                text NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued','claimed','verified','dispensed','partially_dispensed','returned')),
  priority              text NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine','urgent','asap','stat')),
  authored_on           timestamptz,
  quantity_prescribed   numeric(12,3),
  quantity_dispensed    numeric(12,3) NOT NULL DEFAULT 0 CHECK (quantity_dispensed >= 0),
  claimed_by            uuid REFERENCES users(id),
  claimed_at            timestamptz,
  verified_by           uuid REFERENCES users(id),
  verified_at           timestamptz,
  -- Pharmacist decisions per safety finding: [{findingId, severity, action, reason?, by, at}]
  decisions             jsonb NOT NULL DEFAULT '[]'::jsonb,
  returned_at           timestamptz,
  dispensed_at          timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (quantity_prescribed IS NULL OR quantity_dispensed <= quantity_prescribed)
);
CREATE INDEX pharmacy_queue_open ON pharmacy_queue_items (pharmacy_org_id, status, authored_on DESC);

-- Stock on hand per pharmacy, NDC, lot and expiry. The CHECK is the last line of defence: dispensing
-- decrements with "quantity >= n" in the WHERE clause, so concurrent dispenses can never overdraw a lot.
CREATE TABLE inventory_lots (
  id              uuid PRIMARY KEY,
  pharmacy_org_id text NOT NULL,
  ndc             text NOT NULL CHECK (ndc ~ '^\d{11}$'),
  rxcui           text NOT NULL,
  lot_number      text NOT NULL,
  expiry          date NOT NULL,
  quantity        numeric(12,3) NOT NULL CHECK (quantity >= 0),
  unit            text NOT NULL,
  dea_schedule    text CHECK (dea_schedule IN ('II','III','IV','V')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (pharmacy_org_id, ndc, lot_number, expiry)
);
CREATE INDEX inventory_lots_fefo ON inventory_lots (pharmacy_org_id, ndc, expiry) WHERE quantity > 0;

-- Low-stock threshold per pharmacy and NDC (total over all unexpired lots).
CREATE TABLE inventory_thresholds (
  pharmacy_org_id text NOT NULL,
  ndc             text NOT NULL CHECK (ndc ~ '^\d{11}$'),
  low_stock       numeric(12,3) NOT NULL CHECK (low_stock >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (pharmacy_org_id, ndc)
);

-- Goods received (every receipt, controlled or not).
CREATE TABLE inventory_receipts (
  id              uuid PRIMARY KEY,
  pharmacy_org_id text NOT NULL,
  lot_id          uuid NOT NULL REFERENCES inventory_lots(id),
  quantity        numeric(12,3) NOT NULL CHECK (quantity > 0),
  supplier        text,
  invoice_number  text,
  received_by     uuid NOT NULL REFERENCES users(id),
  received_at     timestamptz NOT NULL DEFAULT now()
);

-- The dispense ledger: one row per MedicationDispense, written in the same transaction as the stock decrement.
CREATE TABLE pharmacy_dispenses (
  id                       uuid PRIMARY KEY,
  medication_request_id    text NOT NULL REFERENCES pharmacy_queue_items(medication_request_id),
  medication_dispense_id   text,
  pharmacy_org_id          text NOT NULL,
  lot_id                   uuid NOT NULL REFERENCES inventory_lots(id),
  ndc                      text NOT NULL,
  quantity                 numeric(12,3) NOT NULL CHECK (quantity > 0),
  days_supply              integer NOT NULL CHECK (days_supply > 0),
  substituted              boolean NOT NULL DEFAULT false,
  dispensed_by             uuid NOT NULL REFERENCES users(id),
  dispensed_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pharmacy_dispenses_mr ON pharmacy_dispenses (medication_request_id);

-- Controlled-substance perpetual inventory (DEA schedules II–V): append-only like audit_log. Each row carries
-- the running balance per pharmacy and NDC after the movement; controlled_substance_balances holds the
-- current balance and its row lock serialises movements of one NDC so the running balance is exact.
CREATE TABLE controlled_substance_balances (
  pharmacy_org_id text NOT NULL,
  ndc             text NOT NULL,
  balance         numeric(12,3) NOT NULL CHECK (balance >= 0),
  PRIMARY KEY (pharmacy_org_id, ndc)
);

CREATE TABLE controlled_substance_log (
  id              bigserial PRIMARY KEY,
  pharmacy_org_id text NOT NULL,
  ndc             text NOT NULL,
  rxcui           text NOT NULL,
  dea_schedule    text NOT NULL CHECK (dea_schedule IN ('II','III','IV','V')),
  kind            text NOT NULL CHECK (kind IN ('receipt','dispense')),
  -- Signed: receipts positive, dispenses negative.
  quantity        numeric(12,3) NOT NULL CHECK (quantity <> 0),
  balance_after   numeric(12,3) NOT NULL CHECK (balance_after >= 0),
  lot_id          uuid NOT NULL REFERENCES inventory_lots(id),
  receipt_id      uuid REFERENCES inventory_receipts(id),
  dispense_id     uuid REFERENCES pharmacy_dispenses(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((kind = 'receipt' AND quantity > 0 AND receipt_id IS NOT NULL) OR (kind = 'dispense' AND quantity < 0 AND dispense_id IS NOT NULL))
);
CREATE INDEX controlled_substance_log_period ON controlled_substance_log (pharmacy_org_id, ndc, occurred_at, id);

CREATE FUNCTION controlled_substance_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'controlled_substance_log is append-only';
END $$;
CREATE TRIGGER controlled_substance_log_no_update BEFORE UPDATE OR DELETE ON controlled_substance_log
  FOR EACH ROW EXECUTE FUNCTION controlled_substance_log_append_only();
CREATE TRIGGER controlled_substance_log_no_truncate BEFORE TRUNCATE ON controlled_substance_log
  FOR EACH STATEMENT EXECUTE FUNCTION controlled_substance_log_append_only();
