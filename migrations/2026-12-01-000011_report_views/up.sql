-- Read models for reports (layer 6), each owned by the feature whose tables it reads.

-- catalogue: a session with what a report row says of it. `trainers` lists the course's
-- trainers by name; `theme` is the theme's slug.
CREATE VIEW session_facts AS
SELECT s.id AS session_id,
       s.course_id,
       c.title AS course_title,
       t.slug AS theme,
       s.starts_at,
       s.ends_at,
       EXTRACT(EPOCH FROM (s.ends_at - s.starts_at)) / 3600.0 AS hours,
       s.place,
       s.wijk,
       COALESCE((SELECT string_agg(p.name, ', ' ORDER BY p.name)
                 FROM course_trainers ct JOIN people p ON p.id = ct.user_id
                 WHERE ct.course_id = s.course_id), '') AS trainers,
       c.completion_threshold,
       s.status = 'cancelled' AS cancelled
FROM course_sessions s
JOIN courses c ON c.id = s.course_id
JOIN themes t ON t.id = c.theme_id;

-- attendance: every person who ever had a place in a course × every session of it that is
-- not cancelled, with the rules of src/attendance/service/ledger.rs: `expected` when they had
-- joined before the session started and not left before it, or when they were marked
-- present or late there (a walk-in at the session they walked into). `enrolment_status` is
-- the enrolment that counts: the active one, else the last cancelled one.
CREATE VIEW attendance_cells AS
SELECT s.course_id,
       s.id AS session_id,
       p.user_id,
       p.status AS enrolment_status,
       p.joined_at,
       m.status AS mark,
       (covered.yes OR COALESCE(m.status IN ('present', 'late'), false)) AS expected
FROM course_sessions s
JOIN (SELECT course_id,
             user_id,
             (array_agg(status ORDER BY status = 'cancelled', cancelled_at DESC NULLS LAST))[1] AS status,
             min(joined_at) AS joined_at
      FROM enrolment_spans
      GROUP BY course_id, user_id) p ON p.course_id = s.course_id
LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.user_id = p.user_id
CROSS JOIN LATERAL (
    SELECT EXISTS (SELECT 1 FROM enrolment_spans e
                   WHERE e.course_id = s.course_id AND e.user_id = p.user_id
                     AND e.joined_at < s.starts_at
                     AND (e.cancelled_at IS NULL OR s.starts_at < e.cancelled_at)) AS yes
) covered
WHERE s.status <> 'cancelled';
