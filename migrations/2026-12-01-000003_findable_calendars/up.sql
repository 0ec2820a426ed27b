-- catalogue: search finds what people type. Accents do not matter (unaccent before the Dutch
-- stemmer), and the search document holds the theme, audience, trainers and places as well,
-- so it is a column kept up to date by the triggers below instead of a generated column.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION dutch_unaccent (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION dutch_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;

-- The same without the stemmer, for what people type as the start of a word: a stem need
-- not be a prefix of the stem of the whole word ("energiecoop" stems to "energiecop").
CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION simple_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- What a search for `words` (letters and digits only) asks: every word, as a whole word
-- (stemmed: "wijken" finds "wijk") or as the start of one ("energie" finds "energiecoach").
-- Stop words ("de", "een") are left out; NULL when nothing is left.
CREATE FUNCTION catalogue_search_query(words TEXT[]) RETURNS tsquery
LANGUAGE sql STABLE AS $$
SELECT string_agg('(' || stemmed || ' | ' || typed || ')', ' & ')::tsquery
FROM (SELECT to_tsquery('dutch_unaccent', quote_literal(w) || ':*')::text AS stemmed,
             to_tsquery('simple_unaccent', quote_literal(w) || ':*')::text AS typed
      FROM unnest(words) w) q
WHERE stemmed <> '' AND typed <> ''
$$;

-- The search document of a course: title and theme weigh most, then summary and audience,
-- then the trainers (as others may see them: `people`) and the places of its sessions.
CREATE FUNCTION course_search_document(c courses) RETURNS tsvector
LANGUAGE sql STABLE AS $$
SELECT setweight(to_tsvector('dutch_unaccent', c.title), 'A')
    || setweight(to_tsvector('dutch_unaccent', coalesce(
           (SELECT t.name_nl || ' ' || t.name_en FROM themes t WHERE t.id = c.theme_id), '')), 'A')
    || setweight(to_tsvector('dutch_unaccent', c.summary || ' ' || c.audience), 'B')
    || setweight(to_tsvector('dutch_unaccent', coalesce(
           (SELECT string_agg(p.name, ' ') FROM course_trainers ct JOIN people p ON p.id = ct.user_id
            WHERE ct.course_id = c.id AND NOT p.anonymised), '')), 'C')
    || setweight(to_tsvector('dutch_unaccent', coalesce(
           (SELECT string_agg(DISTINCT s.place || ' ' || replace(coalesce(nullif(s.wijk, 'anders'), ''), '-', ' '), ' ')
            FROM course_sessions s WHERE s.course_id = c.id AND s.status = 'scheduled'), '')), 'C')
    || setweight(to_tsvector('dutch_unaccent', c.description), 'D')
$$;

ALTER TABLE courses DROP COLUMN search;
ALTER TABLE courses ADD COLUMN search TSVECTOR NOT NULL DEFAULT ''::tsvector;
UPDATE courses SET search = course_search_document(courses);
CREATE INDEX courses_search_idx ON courses USING GIN (search);

CREATE FUNCTION courses_search_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := course_search_document(NEW);
    RETURN NEW;
END $$;
CREATE TRIGGER courses_search_own BEFORE INSERT OR UPDATE OF title, summary, description, audience, theme_id
    ON courses FOR EACH ROW EXECUTE FUNCTION courses_search_own();

-- Refresh the documents of the courses named by `ids` (one statement for a whole batch).
CREATE FUNCTION refresh_course_search(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
UPDATE courses SET search = course_search_document(courses) WHERE id = ANY(ids)
$$;

CREATE FUNCTION course_sessions_search_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_course_search(ARRAY(SELECT DISTINCT course_id FROM changed));
    RETURN NULL;
END $$;
CREATE TRIGGER course_sessions_search_insert AFTER INSERT ON course_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION course_sessions_search_new();
CREATE TRIGGER course_sessions_search_update AFTER UPDATE ON course_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION course_sessions_search_new();
CREATE TRIGGER course_sessions_search_delete AFTER DELETE ON course_sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION course_sessions_search_new();
CREATE TRIGGER course_trainers_search_insert AFTER INSERT ON course_trainers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION course_sessions_search_new();
CREATE TRIGGER course_trainers_search_delete AFTER DELETE ON course_trainers
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION course_sessions_search_new();

CREATE FUNCTION themes_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_course_search(ARRAY(SELECT c.id FROM courses c JOIN changed t ON t.id = c.theme_id));
    RETURN NULL;
END $$;
CREATE TRIGGER themes_search_update AFTER UPDATE ON themes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION themes_search_changed();

-- A trainer who is renamed or anonymised: the catalogue's documents follow `people`.
CREATE FUNCTION trainers_search_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.anonymised_at IS DISTINCT FROM OLD.anonymised_at THEN
        PERFORM refresh_course_search(ARRAY(SELECT course_id FROM course_trainers WHERE user_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_trainer_search AFTER UPDATE OF name, anonymised_at ON users
    FOR EACH ROW EXECUTE FUNCTION trainers_search_renamed();

-- mail: one counter for the SEQUENCE of every invitation and cancellation, so each message
-- about an event is numbered higher than any sent before it to anyone (RFC 5546): a
-- re-enrolment after a CANCEL, or a personal CANCEL before a change of the session. It
-- starts above every number sent so far (a session's sequence, and a CANCEL one above it).
CREATE SEQUENCE calendar_sequence;
SELECT setval('calendar_sequence', (SELECT coalesce(max(sequence), 0) + 2 FROM course_sessions));

-- accounts: the calendar feed's address is now an HMAC (under SECRET_KEY) of the user and
-- this per-user key, so the table holds no usable address; the old addresses, which were
-- the key itself, stop working.
UPDATE users SET calendar_token = md5(random()::text || clock_timestamp()::text || id) || md5(random()::text || id);
