-- Waiting-list offers, after review (issue 18).
-- The link in an offer email carries a single-use token tied to that offer; only its hash
-- is kept. Offers made before this migration have none (their owner acts while logged in).
ALTER TABLE waitlist_offers ADD COLUMN token_hash bytea;
CREATE UNIQUE INDEX waitlist_offers_token ON waitlist_offers (token_hash) WHERE token_hash IS NOT NULL;

-- Someone whose offer ended without a yes (declined and stayed, expired, withdrawn) is not
-- offered a seat again until a seat is freed by something else; the seat they passed
-- becomes an ordinary free seat when nobody else waits.
ALTER TABLE enrolments ADD COLUMN offer_passed_at timestamptz;
