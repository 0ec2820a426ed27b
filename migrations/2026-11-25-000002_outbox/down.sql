DROP TABLE outbox;
DROP TYPE mail_status;
