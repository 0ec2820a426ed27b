-- Who a user is, how they prove it and what they may do.
CREATE TYPE user_role AS ENUM ('participant', 'trainer', 'coordinator', 'admin');
CREATE TYPE participant_kind AS ENUM ('bewoner', 'vrijwilliger', 'professional', 'student');
CREATE TYPE token_purpose AS ENUM ('verify_email', 'password_reset', 'invitation');
CREATE TYPE session_kind AS ENUM ('browser', 'api');

CREATE TABLE users (
    id                 BIGSERIAL PRIMARY KEY,
    email              TEXT NOT NULL,
    name               TEXT NOT NULL,
    -- NULL until an invited user sets a password, and after anonymisation
    password_hash      TEXT,
    role               user_role NOT NULL DEFAULT 'participant',
    email_verified_at  TIMESTAMPTZ,
    wijk               TEXT,
    organisation       TEXT,
    participant_kind   participant_kind,
    locale             TEXT NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
    privacy_consent_at TIMESTAMPTZ,
    -- secret part of the personal calendar feed URL
    calendar_token     TEXT NOT NULL UNIQUE,
    anonymised_at      TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role);

-- Login sessions (browser cookies and API bearer tokens); only a hash of the token is kept.
CREATE TABLE login_sessions (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    kind         session_kind NOT NULL,
    user_agent   TEXT,
    ip           TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX login_sessions_user_idx ON login_sessions (user_id) WHERE revoked_at IS NULL;

-- Single-use tokens sent by email; only a hash is kept.
CREATE TABLE user_tokens (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    token_purpose NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Failed logins, for throttling across app instances.
CREATE TABLE login_failures (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT NOT NULL,
    ip           TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, attempted_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, attempted_at);
