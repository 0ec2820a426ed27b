-- Apologies in advance: a participant says "ik kan er niet bij zijn" before a session
-- starts. One per (session, participant); the reason is optional and short.
CREATE TABLE apologies (
    session_id BIGINT NOT NULL REFERENCES course_sessions (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    reason TEXT CHECK (reason IS NULL OR char_length(reason) <= 500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX apologies_user_id_idx ON apologies (user_id);

-- Taking an apology back removes the `excused` mark it set; the history records that as a
-- change to "no mark" (new_status NULL).
ALTER TABLE attendance_history ALTER COLUMN new_status DROP NOT NULL;
