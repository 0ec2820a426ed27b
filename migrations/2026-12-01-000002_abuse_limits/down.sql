DROP TABLE password_reset_requests;
DROP TABLE known_devices;
DROP TABLE throttles;
CREATE TABLE login_failures (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT NOT NULL,
    ip           TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, attempted_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, attempted_at);
