-- Issue 20: the public catalogue (lists, course pages, their API) is answered from a cache in
-- each instance, kept until its data changes. Every change to what those answers are made of
-- announces itself on the channel `wijkmakers_changes` when its transaction commits, and every
-- instance LISTENs to it (src/db/changes.rs). NOTIFY is transactional: a rolled-back change
-- announces nothing; and PostgreSQL sends one notice per transaction for the same payload.
-- Each owner announces changes to its own tables: the catalogue to themes, courses, sessions
-- and trainers (a trainer's new name reaches courses through the search trigger), enrolment to
-- enrolments and offers (seats left).
CREATE FUNCTION announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wijkmakers_changes', '');
    RETURN NULL;
END $$;

CREATE TRIGGER themes_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON themes
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER courses_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER course_sessions_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON course_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER course_trainers_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON course_trainers
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER enrolments_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enrolments
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER waitlist_offers_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON waitlist_offers
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();

-- The cache also ends when a session starts or ends (a course leaves "upcoming", its next
-- session changes): the next such moment is read with each answer, by these indexes.
CREATE INDEX course_sessions_ends_idx ON course_sessions (ends_at);
CREATE INDEX course_sessions_starts_idx ON course_sessions (starts_at);
