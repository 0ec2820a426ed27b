-- enrolment (the owner): a trainer adds someone who came without enrolling; the history
-- says so (issue 16, walk-ins).
ALTER TYPE enrolment_action ADD VALUE IF NOT EXISTS 'walk_in';
