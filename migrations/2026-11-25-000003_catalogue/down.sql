DROP TABLE course_trainers;
DROP TABLE course_sessions;
DROP TABLE courses;
DROP TABLE themes;
DROP TYPE session_status;
DROP TYPE course_status;
DROP TYPE course_format;
