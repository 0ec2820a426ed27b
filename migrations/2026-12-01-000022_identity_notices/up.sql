-- Issue 20: who is behind a session token is kept in each instance (src/accounts/service/
-- login.rs, `kept_session_user`) until a login session or an account changes. Those changes
-- announce themselves on the catalogue's channel with the payload 'identity', a version of
-- their own (src/db/changes.rs, `Topic::Identity`): a logout does not end the catalogue's
-- kept answers, and a new course does not end the kept sessions.
--
-- What a kept session shows: the session's user, token, kind, lifetime and revocation, and
-- the account (name, address, role, verification, language, anonymisation). A new row changes
-- nothing kept (a login, a registration). The mark that a session was used moves last_seen_at
-- forward only, once a minute, and a kept session is used at most a minute past the
-- last_seen_at it was read with, so that mark is not announced; moving it back is.
CREATE FUNCTION announce_identity_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wijkmakers_changes', 'identity');
    RETURN NULL;
END $$;

CREATE TRIGGER login_sessions_announce_update AFTER UPDATE ON login_sessions
    FOR EACH ROW
    WHEN (NEW.last_seen_at < OLD.last_seen_at
          OR (OLD.user_id, OLD.token_hash, OLD.kind, OLD.expires_at, OLD.revoked_at)
             IS DISTINCT FROM (NEW.user_id, NEW.token_hash, NEW.kind, NEW.expires_at, NEW.revoked_at))
    EXECUTE FUNCTION announce_identity_change();
CREATE TRIGGER login_sessions_announce_delete AFTER DELETE ON login_sessions
    FOR EACH ROW EXECUTE FUNCTION announce_identity_change();
CREATE TRIGGER login_sessions_announce_truncate AFTER TRUNCATE ON login_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION announce_identity_change();
CREATE TRIGGER users_announce AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION announce_identity_change();
