-- Who has a seat, who waits, and everything that happened to it.
CREATE TYPE enrolment_status AS ENUM ('enrolled', 'waitlisted', 'cancelled');
CREATE TYPE enrolment_action AS ENUM ('enrolled', 'waitlisted', 'promoted', 'cancelled', 'left_waitlist');

CREATE TABLE enrolments (
    id             BIGSERIAL PRIMARY KEY,
    course_id      BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status         enrolment_status NOT NULL,
    -- first come, first served: the waiting list is ordered by this moment
    queued_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    enrolled_at    TIMESTAMPTZ,
    cancelled_at   TIMESTAMPTZ,
    over_capacity  BOOLEAN NOT NULL DEFAULT FALSE,
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- one active enrolment per user and course
CREATE UNIQUE INDEX enrolments_active_key ON enrolments (course_id, user_id) WHERE status <> 'cancelled';
CREATE INDEX enrolments_course_idx ON enrolments (course_id, status, queued_at, id);
CREATE INDEX enrolments_user_idx ON enrolments (user_id, status);

CREATE TABLE enrolment_events (
    id           BIGSERIAL PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    action       enrolment_action NOT NULL,
    actor_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note         TEXT,
    at           TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX enrolment_events_enrolment_idx ON enrolment_events (enrolment_id, at);
