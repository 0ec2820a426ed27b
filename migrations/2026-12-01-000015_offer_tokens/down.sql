ALTER TABLE enrolments DROP COLUMN offer_passed_at;
DROP INDEX waitlist_offers_token;
ALTER TABLE waitlist_offers DROP COLUMN token_hash;
