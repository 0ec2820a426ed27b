-- Self check-in: one short code per session, shown by the trainer, typed in (or scanned)
-- by participants. The code is unique over all sessions, so it names its session.
CREATE TABLE check_in_codes (
    session_id BIGINT PRIMARY KEY REFERENCES course_sessions (id) ON DELETE RESTRICT,
    code TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX check_in_codes_created_by_idx ON check_in_codes (created_by);
