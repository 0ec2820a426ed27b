-- Transactional outbox: a message is written in the transaction that causes it and
-- delivered afterwards by a worker (see src/mail/).
CREATE TYPE mail_status AS ENUM ('pending', 'sending', 'sent', 'failed');

CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    -- one event never queues two messages
    idempotency_key TEXT NOT NULL UNIQUE,
    user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recipient_email TEXT NOT NULL,
    recipient_name  TEXT,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    -- [{filename, content_type, content_base64}]
    attachments     JSONB NOT NULL DEFAULT '[]',
    auto_submitted  BOOLEAN NOT NULL DEFAULT TRUE,
    message_id      TEXT NOT NULL,
    status          mail_status NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- lease of the worker that claimed the message; after it, another worker may claim it
    locked_until    TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_recent_idx ON outbox (created_at DESC);
CREATE INDEX outbox_user_idx ON outbox (user_id);
