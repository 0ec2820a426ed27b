-- Issue 20: seats are counted when they change, not on every read. `course_seats` (enrolment's
-- read model: enrolled, waitlisted and open offers per course) aggregated every enrolment of
-- every course for each catalogue list; now it reads one row per course, kept by triggers on
-- enrolment's own tables in the transaction of the change (which already holds the course's
-- lock), so the counts are exact at every commit. Same columns, same meaning as before:
-- `offered` counts the open offers of enrolments that are not cancelled.
CREATE TABLE course_seat_counts (
    course_id bigint PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    enrolled bigint NOT NULL DEFAULT 0 CHECK (enrolled >= 0),
    waitlisted bigint NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
    offered bigint NOT NULL DEFAULT 0 CHECK (offered >= 0)
);

INSERT INTO course_seat_counts (course_id, enrolled, waitlisted, offered)
SELECT e.course_id,
       count(*) FILTER (WHERE e.status = 'enrolled'),
       count(*) FILTER (WHERE e.status = 'waitlisted'),
       count(o.id)
FROM enrolments e
LEFT JOIN waitlist_offers o ON o.enrolment_id = e.id AND o.status = 'open'
WHERE e.status <> 'cancelled'
GROUP BY e.course_id;

-- Add to a course's counts (the row is made at the course's first count; a count only goes
-- down on a row that exists, so the insert never sees a negative number).
CREATE FUNCTION add_seat_counts(course bigint, enrolled_by bigint, waitlisted_by bigint, offered_by bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_seat_counts
    SET enrolled = enrolled + enrolled_by, waitlisted = waitlisted + waitlisted_by, offered = offered + offered_by
    WHERE course_id = course;
    IF NOT FOUND THEN
        INSERT INTO course_seat_counts AS c (course_id, enrolled, waitlisted, offered)
        VALUES (course, enrolled_by, waitlisted_by, offered_by)
        ON CONFLICT (course_id) DO UPDATE
            SET enrolled = c.enrolled + EXCLUDED.enrolled,
                waitlisted = c.waitlisted + EXCLUDED.waitlisted,
                offered = c.offered + EXCLUDED.offered;
    END IF;
END $$;

-- An enrolment counts as enrolled or waitlisted by its status; its open offer counts while
-- it is not cancelled. (Enrolments never move to another course.)
CREATE FUNCTION count_enrolment_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    open_offers bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'cancelled' THEN
        PERFORM add_seat_counts(OLD.course_id, -(OLD.status = 'enrolled')::int, -(OLD.status = 'waitlisted')::int, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'cancelled' THEN
        PERFORM add_seat_counts(NEW.course_id, (NEW.status = 'enrolled')::int, (NEW.status = 'waitlisted')::int, 0);
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.status = 'cancelled') <> (NEW.status = 'cancelled') THEN
        SELECT count(*) INTO open_offers FROM waitlist_offers WHERE enrolment_id = NEW.id AND status = 'open';
        IF open_offers > 0 THEN
            PERFORM add_seat_counts(NEW.course_id, 0, 0,
                                    CASE WHEN NEW.status = 'cancelled' THEN -open_offers ELSE open_offers END);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER enrolments_seat_counts AFTER INSERT OR DELETE OR UPDATE OF status ON enrolments
    FOR EACH ROW EXECUTE FUNCTION count_enrolment_seats();

CREATE FUNCTION count_offer_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change bigint := 0;
    enrolment bigint;
    course bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'open' THEN
        change := change - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'open' THEN
        change := change + 1;
    END IF;
    IF change = 0 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        enrolment := OLD.enrolment_id;
        course := OLD.course_id;
    ELSE
        enrolment := NEW.enrolment_id;
        course := NEW.course_id;
    END IF;
    IF EXISTS (SELECT 1 FROM enrolments WHERE id = enrolment AND status <> 'cancelled') THEN
        PERFORM add_seat_counts(course, 0, 0, change);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER waitlist_offers_seat_counts AFTER INSERT OR DELETE OR UPDATE OF status ON waitlist_offers
    FOR EACH ROW EXECUTE FUNCTION count_offer_seats();

CREATE OR REPLACE VIEW course_seats AS
SELECT course_id, enrolled, waitlisted, offered FROM course_seat_counts;
