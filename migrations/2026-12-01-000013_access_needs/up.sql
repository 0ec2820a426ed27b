-- Access needs (issue 19): what a person needs to take part in a course, stored only with
-- their consent, for that course alone, and kept only as long as needed.
CREATE TABLE access_needs (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the fixed list, as words (src/access/model.rs `Need`)
    needs TEXT[] NOT NULL CHECK (
        cardinality(needs) > 0
        AND needs <@ ARRAY['rolstoel', 'tolk', 'kinderopvang', 'lezen_schrijven', 'prikkelarm', 'anders']::TEXT[]
    ),
    -- which language an interpreter speaks (with `tolk`)
    language TEXT CHECK (language IS NULL OR char_length(language) BETWEEN 1 AND 100),
    -- what "anders" means, in the person's words
    note TEXT CHECK (note IS NULL OR char_length(note) BETWEEN 1 AND 500),
    -- the moment of consent and the version of the wording the person agreed to
    consent_at TIMESTAMPTZ NOT NULL,
    wording_version INTEGER NOT NULL CHECK (wording_version > 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX access_needs_user_id_idx ON access_needs (user_id);

-- Who read the needs of a course outside the pages (the API list with
-- include_access_needs=true), when, and how many people's needs they got.
CREATE TABLE access_needs_audit (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    people INTEGER NOT NULL
);
CREATE INDEX access_needs_audit_course_id_idx ON access_needs_audit (course_id, at);

-- Withdrawal (by the person, or a coordinator removing them, or a cancelled course) lives in
-- enrolment, a lower layer that may not know access. So the database crosses here, one way:
-- an enrolment that becomes cancelled deletes that person's needs for that course. It
-- writes only access rows (the precedent is the catalogue's trigger on users).
CREATE FUNCTION access_needs_forget_on_withdrawal() RETURNS trigger AS $$
BEGIN
    DELETE FROM access_needs WHERE course_id = NEW.course_id AND user_id = NEW.user_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER access_needs_on_withdrawal
AFTER UPDATE OF status ON enrolments
FOR EACH ROW
WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
EXECUTE FUNCTION access_needs_forget_on_withdrawal();
