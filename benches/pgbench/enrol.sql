\set k :k + 1
\set n :k * :clients + :client_id
\set user :ulo + :n % :nusers
\set course :clo + (:n / :nusers + :n % :nusers) % :ncourses
BEGIN;
SELECT capacity, waitlist_enabled FROM courses WHERE id = :course FOR UPDATE \gset
SELECT count(*) FILTER (WHERE status = 'enrolled') AS taken, count(*) FILTER (WHERE status = 'waitlisted') AS waiting FROM enrolments WHERE course_id = :course AND status <> 'cancelled' \gset
\if :taken < :capacity
INSERT INTO enrolments (course_id, user_id, status, enrolled_at, created_by) VALUES (:course, :user, 'enrolled', now(), :user) RETURNING id AS enrolment \gset
INSERT INTO enrolment_events (enrolment_id, action, actor_id) VALUES (:enrolment, 'enrolled', :user);
\else
INSERT INTO enrolments (course_id, user_id, status, created_by) VALUES (:course, :user, 'waitlisted', :user) RETURNING id AS enrolment \gset
INSERT INTO enrolment_events (enrolment_id, action, actor_id) VALUES (:enrolment, 'waitlisted', :user);
\endif
INSERT INTO outbox (idempotency_key, user_id, recipient_email, recipient_name, subject, text_body, html_body, attachments, message_id) SELECT 'pgbench:' || :enrolment, u.id, u.email, u.name, 'Je bent ingeschreven', repeat('t', :text_len), repeat('h', :html_len), jsonb_build_array(jsonb_build_object('filename', 'cursus.ics', 'content_type', 'text/calendar', 'content_base64', repeat('A', :ics_len))), '<pgbench.' || :enrolment || '@example.org>' FROM users u WHERE u.id = :user;
COMMIT;
