DROP TRIGGER users_announce ON users;
DROP TRIGGER login_sessions_announce_truncate ON login_sessions;
DROP TRIGGER login_sessions_announce_delete ON login_sessions;
DROP TRIGGER login_sessions_announce_update ON login_sessions;
DROP FUNCTION announce_identity_change();
