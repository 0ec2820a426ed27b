-- Abuse limits that cannot lock anybody out (issue 14).

-- One row per throttled thing, counted atomically with INSERT … ON CONFLICT … DO UPDATE …
-- RETURNING before any password is checked: `hits` attempts in the window that started at
-- `window_started_at`; past the limit the key is locked until `locked_until`, for a time
-- that doubles with every lock-out (`lockouts`). Scopes: `login-account` (an address, for
-- clients it does not know), `login-device` (a known device), `login-ip`, `password-check`
-- (a login session that re-enters its password), `register-ip`, `register-address`.
CREATE TABLE throttles (
    scope             TEXT NOT NULL,
    key               TEXT NOT NULL,
    hits              INTEGER NOT NULL DEFAULT 0,
    window_started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until      TIMESTAMPTZ,
    lockouts          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
);
CREATE INDEX throttles_window_idx ON throttles (window_started_at);

-- The counts now live in `throttles`.
DROP TABLE login_failures;

-- Browsers and API clients that logged in successfully before (OWASP "device cookie"):
-- they keep their own count, so a stranger's guesses cannot lock the owner out.
CREATE TABLE known_devices (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_user_idx ON known_devices (user_id);

-- "Send a reset link to this address": the request only writes this row, the same for
-- every address; the worker looks the address up and sends the link (or nothing).
CREATE TABLE password_reset_requests (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
