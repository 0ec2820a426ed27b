DROP INDEX course_sessions_starts_idx;
DROP INDEX course_sessions_ends_idx;
DROP TRIGGER waitlist_offers_announce ON waitlist_offers;
DROP TRIGGER enrolments_announce ON enrolments;
DROP TRIGGER course_trainers_announce ON course_trainers;
DROP TRIGGER course_sessions_announce ON course_sessions;
DROP TRIGGER courses_announce ON courses;
DROP TRIGGER themes_announce ON themes;
DROP FUNCTION announce_change();
