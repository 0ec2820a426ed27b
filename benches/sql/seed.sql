-- The bench database of scripts/bench, made set-based (every account through the services
-- would cost an argon2 run each). Run with psql on a migrated, empty database:
--
--   psql -v upcoming=1000 -v past=3000 -v users=50000 -v hot=200 -v upcoming_sessions=4 \
--        -v past_sessions=2 -v past_enrol=56 -v upcoming_enrol=47 -v outbox=1 \
--        -v hash="'…'" -f benches/sql/seed.sql
--
-- Courses 1..:upcoming are published with sessions ahead; the first :hot of them are left
-- for the enrolment runs: a few seats taken by users above 4,000 only, so users 1..4,000
-- can enrol in them without meeting an enrolment of their own. Courses after them ran in
-- the past (two in three archived), each with its enrolments, cancellations, history
-- and the emails that were sent: the rows a platform has after a few years.
\set ON_ERROR_STOP on
BEGIN;

-- the numbering above needs an empty database whose ids start at 1
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM courses) THEN
        RAISE EXCEPTION 'benches/sql/seed.sql needs a database without users and courses';
    END IF;
END $$;
SELECT setval(pg_get_serial_sequence(t, 'id'), 1, false)
FROM unnest(ARRAY['users', 'courses', 'course_sessions', 'enrolments']) t \g /dev/null

INSERT INTO users (email, name, password_hash, role, email_verified_at, wijk, participant_kind, locale,
                   privacy_consent_at, calendar_token, created_at)
SELECT 'deelnemer' || g || '@example.org', 'Deelnemer ' || g, :'hash', 'participant', now(),
       (ARRAY['oosterpoort','selwerd','de-hoogte','vinkhuizen','beijum','lewenborg','haren','ten-boer',
              'paddepoel','korrewegwijk','hoogkerk','oosterparkwijk'])[1 + g % 12],
       (ARRAY['bewoner','vrijwilliger','professional','student'])[1 + g % 4]::participant_kind,
       CASE WHEN g % 10 = 0 THEN 'en' ELSE 'nl' END, now(), md5('cal' || g || random()),
       now() - make_interval(days => g % 1500)
FROM generate_series(1, :users) g;

INSERT INTO users (email, name, password_hash, role, email_verified_at, locale, privacy_consent_at, calendar_token)
SELECT 'trainer' || g || '@example.org', 'Trainer ' || g, :'hash', 'trainer', now(), 'nl', now(),
       md5('trainer' || g || random())
FROM generate_series(1, 40) g;

-- ids 1..upcoming+past in a fresh database (the sequence starts at 1)
INSERT INTO courses (slug, title, summary, description, description_html, theme_id, format, audience,
                     capacity, status, created_at)
SELECT 'cursus-' || g,
       (ARRAY['Samen sterk in je wijk', 'Energie besparen met de buren', 'Meedenken over je dorp',
              'Leiderschap voor wijkmakers', 'Elkaars taal spreken', 'Een buurtmoestuin beginnen'])[1 + g % 6]
         || ' ' || g,
       'Een cursus voor bewoners, vrijwilligers en professionals over hun wijk.',
       repeat('Je leert samen met anderen hoe je iets verandert in je buurt. ', 12),
       '<p>' || repeat('Je leert samen met anderen hoe je iets verandert in je buurt. ', 12) || '</p>',
       (SELECT id FROM themes ORDER BY id OFFSET g % 6 LIMIT 1),
       (ARRAY['cursus','werkplaats','bijeenkomst'])[1 + g % 3]::course_format,
       'Iedereen',
       CASE WHEN g <= :hot THEN 8 + (g * 7) % 18 ELSE 12 + (g * 7) % 29 END,
       CASE WHEN g <= :upcoming OR g % 3 = 0 THEN 'published' ELSE 'archived' END::course_status,
       now() - make_interval(days => CASE WHEN g <= :upcoming THEN 30 ELSE 60 + (g - :upcoming) % 1400 END)
FROM generate_series(1, :upcoming + :past) g;

INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk, created_at)
SELECT c.id, t.starts, t.starts + interval '2 hours',
       'Buurthuis ' || c.id % 40, 'Hoofdstraat ' || c.id % 200 || ', Groningen',
       (ARRAY['oosterpoort','selwerd','de-hoogte','vinkhuizen','beijum','lewenborg','haren','ten-boer'])[1 + c.id % 8],
       c.created_at
FROM courses c
CROSS JOIN LATERAL generate_series(0, CASE WHEN c.id <= :upcoming THEN :upcoming_sessions ELSE :past_sessions END - 1) k
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.id <= :upcoming
                THEN date_trunc('day', now()) + make_interval(days => 7 + (c.id % 90)::int + 7 * k::int, hours => 18)
                ELSE c.created_at + make_interval(days => 30 + 7 * k::int, hours => 18)
           END AS starts
) t;

INSERT INTO course_trainers (course_id, user_id)
SELECT c.id, (SELECT id FROM users WHERE role = 'trainer' ORDER BY id OFFSET c.id % 40 LIMIT 1)
FROM courses c;

-- the hot courses: a few seats taken, by users above 4,000
INSERT INTO enrolments (course_id, user_id, status, enrolled_at, queued_at, created_by)
SELECT c.id, 4001 + (c.id * 13 + k) % (:users - 4000), 'enrolled', now() - interval '1 day',
       now() - interval '1 day' + make_interval(secs => k), NULL
FROM courses c, generate_series(0, c.id % 5 - 1) k
WHERE c.id <= :hot;

-- the other upcoming courses: up to capacity, then a waiting list; one in eleven withdrew
INSERT INTO enrolments (course_id, user_id, status, enrolled_at, queued_at, cancelled_at, created_by)
SELECT c.id, u.id, s.status,
       CASE WHEN k < c.capacity THEN now() - interval '10 days' + make_interval(mins => k::int) END,
       now() - interval '10 days' + make_interval(mins => k::int),
       CASE WHEN s.status = 'cancelled' THEN now() - interval '2 days' END, u.id
FROM courses c
CROSS JOIN LATERAL generate_series(0, (:upcoming_enrol / 2) + (c.id * 13) % (:upcoming_enrol + 1) - 1) k
CROSS JOIN LATERAL (SELECT 1 + (c.id * 7919 + k * 4729) % :users AS id) u
CROSS JOIN LATERAL (
    SELECT CASE WHEN k % 11 = 10 THEN 'cancelled' WHEN k < c.capacity THEN 'enrolled' ELSE 'waitlisted' END::enrolment_status
           AS status
) s
WHERE c.id > :hot AND c.id <= :upcoming;

-- the courses that ran: full, some withdrew, the rest of the waiting list left it
INSERT INTO enrolments (course_id, user_id, status, enrolled_at, queued_at, cancelled_at, created_by, created_at)
SELECT c.id, u.id, s.status,
       CASE WHEN k < c.capacity THEN c.created_at + make_interval(mins => k::int) END,
       c.created_at + make_interval(mins => k::int),
       CASE WHEN s.status = 'cancelled' THEN c.created_at + interval '20 days' END, u.id,
       c.created_at + make_interval(mins => k::int)
FROM courses c
CROSS JOIN LATERAL generate_series(0, :past_enrol - 1) k
CROSS JOIN LATERAL (SELECT 1 + (c.id * 7919 + k * 4729) % :users AS id) u
CROSS JOIN LATERAL (
    SELECT CASE WHEN k % 9 = 8 OR k >= c.capacity THEN 'cancelled' ELSE 'enrolled' END::enrolment_status AS status
) s
WHERE c.id > :upcoming;

-- their history: how each came in, and how it ended
INSERT INTO enrolment_events (enrolment_id, action, actor_id, at)
SELECT id, CASE WHEN enrolled_at IS NOT NULL THEN 'enrolled' ELSE 'waitlisted' END::enrolment_action, user_id, queued_at
FROM enrolments;
INSERT INTO enrolment_events (enrolment_id, action, actor_id, at)
SELECT id, CASE WHEN enrolled_at IS NOT NULL THEN 'cancelled' ELSE 'left_waitlist' END::enrolment_action, user_id,
       cancelled_at
FROM enrolments WHERE status = 'cancelled';

-- the emails of the last year, sent (when :outbox is 1); older ones have been cleaned up
INSERT INTO outbox (idempotency_key, user_id, recipient_email, recipient_name, subject, text_body, html_body,
                    message_id, status, attempts, created_at, sent_at)
SELECT 'seed:' || e.id, u.id, u.email, u.name, 'Je bent ingeschreven', repeat('tekst ', 300),
       repeat('<p>html</p>', 200), '<seed.' || e.id || '@example.org>', 'sent', 1, e.queued_at, e.queued_at
FROM enrolments e JOIN users u ON u.id = e.user_id
WHERE :outbox = 1 AND e.queued_at > now() - interval '1 year';

COMMIT;
ANALYZE;
