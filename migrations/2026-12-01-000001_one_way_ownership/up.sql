-- Each feature owns its tables. Another feature reads them only through a read model that the
-- owner defines here: accounts defines `people`, enrolment defines `course_seats`.

-- accounts: who someone is, as other features may see it (no password, tokens or consent).
CREATE VIEW people AS
SELECT id, name, email, locale, wijk, organisation, participant_kind, role,
       email_verified_at IS NOT NULL AS email_verified,
       anonymised_at IS NOT NULL AS anonymised
FROM users;

-- enrolment: the seats of each course that has enrolments (no row: nobody enrolled or waiting).
CREATE VIEW course_seats AS
SELECT course_id,
       count(*) FILTER (WHERE status = 'enrolled') AS enrolled,
       count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
FROM enrolments
WHERE status <> 'cancelled'
GROUP BY course_id;

-- History stays: enrolments, their events and sessions never vanish with a user or course row
-- (people are anonymised, not deleted; courses are cancelled or archived).
ALTER TABLE enrolments
    DROP CONSTRAINT enrolments_course_id_fkey,
    ADD CONSTRAINT enrolments_course_id_fkey FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE RESTRICT,
    DROP CONSTRAINT enrolments_user_id_fkey,
    ADD CONSTRAINT enrolments_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT;
ALTER TABLE enrolment_events
    DROP CONSTRAINT enrolment_events_enrolment_id_fkey,
    ADD CONSTRAINT enrolment_events_enrolment_id_fkey FOREIGN KEY (enrolment_id) REFERENCES enrolments (id) ON DELETE RESTRICT;
ALTER TABLE course_sessions
    DROP CONSTRAINT course_sessions_course_id_fkey,
    ADD CONSTRAINT course_sessions_course_id_fkey FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE RESTRICT;

-- A status says what happened, and its moment is there: enrolled ⇒ enrolled_at,
-- cancelled ⇔ cancelled_at.
UPDATE enrolments SET enrolled_at = updated_at WHERE status = 'enrolled' AND enrolled_at IS NULL;
UPDATE enrolments SET cancelled_at = updated_at WHERE status = 'cancelled' AND cancelled_at IS NULL;
UPDATE enrolments SET cancelled_at = NULL WHERE status <> 'cancelled' AND cancelled_at IS NOT NULL;
ALTER TABLE enrolments
    ADD CONSTRAINT enrolments_enrolled_at_check CHECK (status <> 'enrolled' OR enrolled_at IS NOT NULL),
    ADD CONSTRAINT enrolments_cancelled_at_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));
