-- enrolment (the owner): when each person joined a course, for attendance to know at which
-- sessions they are expected. joined_at is the enrolment or promotion time (NULL while
-- waiting); a person may have several rows (an old cancelled enrolment and a new one).
CREATE VIEW enrolment_spans AS
SELECT course_id, user_id, status, enrolled_at AS joined_at, cancelled_at
FROM enrolments;
