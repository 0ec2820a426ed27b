-- attendance: one mark per (session, participant), and every change to it.
CREATE TYPE attendance_status AS ENUM ('present', 'late', 'excused', 'absent');

-- The primary key is the unique index that keeps one mark per (session, participant).
CREATE TABLE attendance_marks (
    session_id BIGINT NOT NULL REFERENCES course_sessions (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    status attendance_status NOT NULL,
    note TEXT,
    marked_by BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    marked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX attendance_marks_user_id_idx ON attendance_marks (user_id);

-- Who changed a mark, when, from what to what (old_status NULL: the first mark).
CREATE TABLE attendance_history (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES course_sessions (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    old_status attendance_status,
    new_status attendance_status NOT NULL,
    changed_by BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note TEXT
);
CREATE INDEX attendance_history_session_idx ON attendance_history (session_id, id);
CREATE INDEX attendance_history_user_id_idx ON attendance_history (user_id);
