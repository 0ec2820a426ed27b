-- Issue 17: the dashboard answers its questions in milliseconds at a million attendance cells.
-- The summary's figures are counted from two small tables that reports keep from the read
-- models below it (attendance_cells, session_facts), course by course:
--   report_places: one row per person × course (as the cells of attendance_cells), with the
--     local dates on which they had a place, whether they never joined (waiting), and their
--     expected and attended sessions over the whole course (for completion);
--   report_session_groups: per session × the wijk and kind of its people, the counts of
--     expected sessions and of marks (sums that the summary adds up).
-- Nothing in them depends on the time of day: "held" (a session has started) and "over" (a
-- course has ended) are read from the sessions when the summary is asked.
--
-- A change to what they are made of marks its course in report_dirty (statement triggers
-- below, on tables of lower layers that do not know reports: they write only this table). The
-- summary and a scheduler turn compute the marked courses again before they read
-- (src/reports/rollup.rs), so the figures are never older than the question.

CREATE TABLE report_places (
    course_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    -- local dates of the sessions (not cancelled) at which the person had a place
    place_days datemultirange NOT NULL,
    -- on the waiting list and never given a place
    never_joined BOOLEAN NOT NULL,
    -- over every session of the course (a place, expected): for completion
    whole_expected INTEGER NOT NULL,
    whole_attended INTEGER NOT NULL,
    PRIMARY KEY (course_id, user_id)
);

-- The months in which a person had a place in a course, with that month's dates (the summary
-- per month).
CREATE TABLE report_place_months (
    course_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    month DATE NOT NULL,
    place_days datemultirange NOT NULL,
    PRIMARY KEY (course_id, month, user_id)
);

CREATE TABLE report_session_groups (
    session_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    wijk TEXT,
    kind participant_kind,
    -- cells with a place that were expected; of those present or late, present or late or
    -- excused, absent
    expected INTEGER NOT NULL,
    attended INTEGER NOT NULL,
    committed INTEGER NOT NULL,
    absent INTEGER NOT NULL,
    CONSTRAINT report_session_groups_key UNIQUE NULLS NOT DISTINCT (session_id, wijk, kind)
);
CREATE INDEX report_session_groups_course_idx ON report_session_groups (course_id);

-- A course to compute again; `changes` counts the changes since it was marked, so that a
-- refresh unmarks only what it read.
CREATE TABLE report_dirty (
    course_id BIGINT PRIMARY KEY,
    changes BIGINT NOT NULL DEFAULT 0
);

-- How often the rollup changed: a dashboard keeps its answer while this stays the same (and no
-- session starts or ends), in every instance.
CREATE TABLE report_rollup_version (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    version BIGINT NOT NULL
);
INSERT INTO report_rollup_version (version) VALUES (0);

-- Everything there is now is to be computed once (the scheduler does it at start).
INSERT INTO report_dirty (course_id) SELECT id FROM courses;

CREATE FUNCTION report_dirty_courses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO report_dirty (course_id) SELECT DISTINCT course_id FROM old_rows ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_dirty (course_id) SELECT DISTINCT course_id FROM new_rows ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    END IF;
    RETURN NULL;
END $$;

-- a course's title, theme and completion threshold are read when the summary is asked; a
-- change ends the answers kept with the rollup's version
CREATE FUNCTION report_dirty_course_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (course_id) SELECT DISTINCT id FROM new_rows
    ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_marks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO report_dirty (course_id)
        SELECT DISTINCT s.course_id FROM old_rows o JOIN course_sessions s ON s.id = o.session_id
        ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_dirty (course_id)
        SELECT DISTINCT s.course_id FROM new_rows n JOIN course_sessions s ON s.id = n.session_id
        ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    END IF;
    RETURN NULL;
END $$;

-- the places, their spans and the sessions' dates and status
CREATE TRIGGER enrolments_report_insert AFTER INSERT ON enrolments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER enrolments_report_update AFTER UPDATE ON enrolments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER enrolments_report_delete AFTER DELETE ON enrolments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER course_sessions_report_insert AFTER INSERT ON course_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER course_sessions_report_update AFTER UPDATE ON course_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER course_sessions_report_delete AFTER DELETE ON course_sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_courses();
CREATE TRIGGER courses_report_update AFTER UPDATE ON courses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_course_rows();
-- the marks
CREATE TRIGGER attendance_marks_report_insert AFTER INSERT ON attendance_marks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_marks();
CREATE TRIGGER attendance_marks_report_update AFTER UPDATE ON attendance_marks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_marks();
CREATE TRIGGER attendance_marks_report_delete AFTER DELETE ON attendance_marks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_marks();

-- a person's wijk and kind group their sessions' counts
CREATE FUNCTION report_dirty_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty (course_id)
    SELECT DISTINCT course_id FROM enrolments WHERE user_id = NEW.id
    ON CONFLICT (course_id) DO UPDATE SET changes = report_dirty.changes + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER users_report_groups AFTER UPDATE OF wijk, participant_kind ON users
    FOR EACH ROW
    WHEN (OLD.wijk IS DISTINCT FROM NEW.wijk OR OLD.participant_kind IS DISTINCT FROM NEW.participant_kind)
    EXECUTE FUNCTION report_dirty_person();
