-- A break-the-glass review records its verdict and why, so compliance can follow up on misuse.
ALTER TABLE break_glass_grants
  ADD COLUMN review_outcome text CHECK (review_outcome IN ('appropriate', 'inappropriate')),
  ADD COLUMN review_note    text,
  ADD COLUMN purpose        text NOT NULL DEFAULT 'ETREAT';
CREATE INDEX break_glass_unreviewed ON break_glass_grants (created_at) WHERE reviewed_at IS NULL;
