-- The read models of migration 000011 again, with the same columns and the same rules, built so
-- that PostgreSQL works per query instead of per row, and so that a report can read one session
-- at a time (an export streams from its first session on instead of sorting a million rows).

-- enrolment: each span carries its enrolment's id, to tell two spans of one person apart.
CREATE OR REPLACE VIEW enrolment_spans AS
SELECT course_id, user_id, status, enrolled_at AS joined_at, cancelled_at, id AS enrolment_id
FROM enrolments;

-- catalogue: the trainers' names are gathered once per course (a join), not once per row.
CREATE OR REPLACE VIEW session_facts AS
SELECT s.id AS session_id,
       s.course_id,
       c.title AS course_title,
       t.slug AS theme,
       s.starts_at,
       s.ends_at,
       EXTRACT(EPOCH FROM (s.ends_at - s.starts_at)) / 3600.0 AS hours,
       s.place,
       s.wijk,
       COALESCE(tr.trainers, '') AS trainers,
       c.completion_threshold,
       s.status = 'cancelled' AS cancelled
FROM course_sessions s
JOIN courses c ON c.id = s.course_id
JOIN themes t ON t.id = c.theme_id
LEFT JOIN (SELECT ct.course_id, string_agg(p.name, ', ' ORDER BY p.name) AS trainers
           FROM course_trainers ct JOIN people p ON p.id = ct.user_id
           GROUP BY ct.course_id) tr ON tr.course_id = s.course_id;

-- attendance: one row per person who had (or waited for) a place in a course × its sessions that
-- are not cancelled. The person's row is the enrolment that counts (the active one, else the one
-- cancelled last), found without grouping so that PostgreSQL can look up one session's people by
-- index; the other spans are only read for the few cells that span does not cover.
DROP VIEW attendance_cells;
CREATE VIEW attendance_cells AS
SELECT s.course_id,
       s.id AS session_id,
       e.user_id,
       e.status AS enrolment_status,
       (SELECT min(o.joined_at) FROM enrolment_spans o
        WHERE o.course_id = e.course_id AND o.user_id = e.user_id) AS joined_at,
       m.status AS mark,
       ((e.joined_at < s.starts_at AND (e.cancelled_at IS NULL OR s.starts_at < e.cancelled_at))
        OR COALESCE(m.status IN ('present', 'late'), false)
        OR EXISTS (SELECT 1 FROM enrolment_spans o
                   WHERE o.course_id = e.course_id AND o.user_id = e.user_id AND o.enrolment_id <> e.enrolment_id
                     AND o.joined_at < s.starts_at AND (o.cancelled_at IS NULL OR s.starts_at < o.cancelled_at)))
           AS expected
FROM course_sessions s
JOIN enrolment_spans e ON e.course_id = s.course_id
LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.user_id = e.user_id
WHERE s.status <> 'cancelled'
  AND (e.status <> 'cancelled'
       OR NOT EXISTS (SELECT 1 FROM enrolment_spans o
                      WHERE o.course_id = e.course_id AND o.user_id = e.user_id AND o.enrolment_id <> e.enrolment_id
                        AND (o.status <> 'cancelled'
                             OR (o.cancelled_at, o.enrolment_id) > (e.cancelled_at, e.enrolment_id))));
