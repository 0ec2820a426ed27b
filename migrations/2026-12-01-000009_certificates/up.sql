-- certificates of participation: one per person and completed course, made when first asked
-- for. The code is what the public check at /certificaat/{code} looks up. An anonymising
-- deletion sets withdrawn_at: the row stays (the count of certificates stays true), the
-- public check then says the certificate was withdrawn and shows no name.
CREATE TABLE certificates (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$'),
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    withdrawn_at TIMESTAMPTZ,
    UNIQUE (user_id, course_id)
);
CREATE INDEX certificates_course_id_idx ON certificates (course_id);
