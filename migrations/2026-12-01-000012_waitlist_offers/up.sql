-- Waiting-list offers (issue 18). catalogue: per course, how a freed seat is given.
CREATE TYPE waitlist_mode AS ENUM ('automatic', 'offer');
ALTER TABLE courses
    ADD COLUMN waitlist_mode waitlist_mode NOT NULL DEFAULT 'automatic',
    ADD COLUMN offer_hours integer NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 1 AND 168);

-- enrolment (the owner): a seat held for someone on the waiting list until a deadline.
-- The person stays `waitlisted` while the offer is open; the offer row says so.
CREATE TYPE offer_status AS ENUM ('open', 'accepted', 'declined', 'expired', 'withdrawn');
CREATE TABLE waitlist_offers (
    id bigserial PRIMARY KEY,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    course_id bigint NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    offered_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    status offer_status NOT NULL DEFAULT 'open',
    decided_at timestamptz,
    CHECK ((status = 'open') = (decided_at IS NULL)),
    CHECK (expires_at > offered_at)
);
-- one enrolment never holds two open offers
CREATE UNIQUE INDEX waitlist_offers_one_open ON waitlist_offers (enrolment_id) WHERE status = 'open';
-- the scheduler looks for due offers
CREATE INDEX waitlist_offers_due ON waitlist_offers (expires_at) WHERE status = 'open';
CREATE INDEX waitlist_offers_course ON waitlist_offers (course_id) WHERE status = 'open';

ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'offered';
ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'offer_accepted';
ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'offer_declined';
ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'offer_expired';
ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'offer_withdrawn';

-- Seats left = capacity − enrolled − open offers: the view counts the open offers too.
-- `waitlisted` still counts everyone waiting, those with an offer included.
CREATE OR REPLACE VIEW course_seats AS
SELECT e.course_id,
       count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled,
       count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted,
       count(o.id) AS offered
FROM enrolments e
LEFT JOIN waitlist_offers o ON o.enrolment_id = e.id AND o.status = 'open'
WHERE e.status <> 'cancelled'
GROUP BY e.course_id;
