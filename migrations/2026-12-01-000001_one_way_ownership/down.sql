ALTER TABLE enrolments DROP CONSTRAINT enrolments_enrolled_at_check, DROP CONSTRAINT enrolments_cancelled_at_check;
ALTER TABLE course_sessions
    DROP CONSTRAINT course_sessions_course_id_fkey,
    ADD CONSTRAINT course_sessions_course_id_fkey FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE CASCADE;
ALTER TABLE enrolment_events
    DROP CONSTRAINT enrolment_events_enrolment_id_fkey,
    ADD CONSTRAINT enrolment_events_enrolment_id_fkey FOREIGN KEY (enrolment_id) REFERENCES enrolments (id) ON DELETE CASCADE;
ALTER TABLE enrolments
    DROP CONSTRAINT enrolments_course_id_fkey,
    ADD CONSTRAINT enrolments_course_id_fkey FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE CASCADE,
    DROP CONSTRAINT enrolments_user_id_fkey,
    ADD CONSTRAINT enrolments_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
DROP VIEW course_seats;
DROP VIEW people;
