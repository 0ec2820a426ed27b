-- Back to the read models of migration 000011.
DROP VIEW attendance_cells;
DROP VIEW enrolment_spans;
CREATE VIEW enrolment_spans AS
SELECT course_id, user_id, status, enrolled_at AS joined_at, cancelled_at
FROM enrolments;

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
       COALESCE((SELECT string_agg(p.name, ', ' ORDER BY p.name)
                 FROM course_trainers ct JOIN people p ON p.id = ct.user_id
                 WHERE ct.course_id = s.course_id), '') AS trainers,
       c.completion_threshold,
       s.status = 'cancelled' AS cancelled
FROM course_sessions s
JOIN courses c ON c.id = s.course_id
JOIN themes t ON t.id = c.theme_id;

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
