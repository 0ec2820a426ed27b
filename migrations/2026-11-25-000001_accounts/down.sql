DROP TABLE login_failures;
DROP TABLE user_tokens;
DROP TABLE login_sessions;
DROP TABLE users;
DROP TYPE session_kind;
DROP TYPE token_purpose;
DROP TYPE participant_kind;
DROP TYPE user_role;
