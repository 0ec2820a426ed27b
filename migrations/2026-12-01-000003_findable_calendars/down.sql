DROP SEQUENCE calendar_sequence;
DROP TRIGGER users_trainer_search ON users;
DROP FUNCTION trainers_search_renamed();
DROP TRIGGER themes_search_update ON themes;
DROP FUNCTION themes_search_changed();
DROP TRIGGER course_trainers_search_delete ON course_trainers;
DROP TRIGGER course_trainers_search_insert ON course_trainers;
DROP TRIGGER course_sessions_search_delete ON course_sessions;
DROP TRIGGER course_sessions_search_update ON course_sessions;
DROP TRIGGER course_sessions_search_insert ON course_sessions;
DROP FUNCTION course_sessions_search_new();
DROP FUNCTION refresh_course_search(BIGINT[]);
DROP TRIGGER courses_search_own ON courses;
DROP FUNCTION courses_search_own();
ALTER TABLE courses DROP COLUMN search;
DROP FUNCTION course_search_document(courses);
ALTER TABLE courses ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('dutch', title), 'A') ||
    setweight(to_tsvector('dutch', summary), 'B') ||
    setweight(to_tsvector('dutch', description), 'C')) STORED;
CREATE INDEX courses_search_idx ON courses USING GIN (search);
DROP FUNCTION catalogue_search_query(TEXT[]);
DROP TEXT SEARCH CONFIGURATION simple_unaccent;
DROP TEXT SEARCH CONFIGURATION dutch_unaccent;
