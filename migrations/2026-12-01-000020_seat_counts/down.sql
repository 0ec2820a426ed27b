CREATE OR REPLACE VIEW course_seats AS
SELECT e.course_id,
       count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled,
       count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted,
       count(o.id) AS offered
FROM enrolments e
LEFT JOIN waitlist_offers o ON o.enrolment_id = e.id AND o.status = 'open'
WHERE e.status <> 'cancelled'
GROUP BY e.course_id;
DROP TRIGGER waitlist_offers_seat_counts ON waitlist_offers;
DROP TRIGGER enrolments_seat_counts ON enrolments;
DROP FUNCTION count_offer_seats();
DROP FUNCTION count_enrolment_seats();
DROP FUNCTION add_seat_counts(bigint, bigint, bigint, bigint);
DROP TABLE course_seat_counts;
