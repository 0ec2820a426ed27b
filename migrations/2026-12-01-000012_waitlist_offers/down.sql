DROP VIEW course_seats;
CREATE VIEW course_seats AS
SELECT course_id,
       count(*) FILTER (WHERE status = 'enrolled') AS enrolled,
       count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
FROM enrolments
WHERE status <> 'cancelled'
GROUP BY course_id;
DROP TABLE waitlist_offers;
DROP TYPE offer_status;
ALTER TABLE courses DROP COLUMN offer_hours, DROP COLUMN waitlist_mode;
DROP TYPE waitlist_mode;
-- enum values of enrolment_action stay (PostgreSQL cannot drop them)
